"""数据交换 → 开通 as the two clerks do it, with real files on a folder standing in for the stick:
the township writes its request and reads out its fingerprint; the county reads the request, sees
the same fingerprint, may approve only after ticking that the two agree, and writes the grant; the
township takes the grant and sees the county's fingerprint. Both pages then list each other."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

COUNTY = ("510599", "测试县")
T1 = "510599100"
TOWNSHIPS = [(T1, "城关镇"), ("510599101", "河东乡")]
PW = "县里统一的交换口令2026"
TIMEOUT = 20000


@pytest.fixture
def pair(tmp_path):
    from ufdesk.gui.context import AppContext
    from ufdesk.services import Services
    from ufdesk.store import Store

    county = Store.create(tmp_path / "county.db", county_code=COUNTY[0], county_name=COUNTY[1], townships=TOWNSHIPS)
    town = Store.create(tmp_path / "t1.db", county_code=COUNTY[0], county_name=COUNTY[1], townships=TOWNSHIPS,
                        township=T1)
    ctx_t, ctx_c = AppContext(Services(town, user="乡镇管理员")), AppContext(Services(county, user="县管理员"))
    yield ctx_t, ctx_c, tmp_path
    for ctx in (ctx_t, ctx_c):
        ctx.worker.shutdown()
        ctx.services.store.close()


def page(qtbot, ctx):
    from ufdesk.gui.exchange_dialog import ExchangeDialog

    d = ExchangeDialog(ctx)
    qtbot.addWidget(d)
    d.tabs.setCurrentWidget(d.enrol_page)
    d.resize(900, 760)
    d.show()
    return d, d.enrol_page


def test_request_accept_finish_from_the_gui(qtbot, pair):
    ctx_t, ctx_c, tmp = pair
    stick = tmp / "U盘"
    stick.mkdir()
    town_dialog, town = page(qtbot, ctx_t)
    assert town_dialog.tabs.tabText(4) == "开通"
    town.request_pw.setText(PW)
    town.request_pw2.setText(PW + "x")
    town.request_button.click()
    assert "不一致" in town.request_result.text() and not list(stick.iterdir())
    town.request_pw2.setText(PW)
    town.request_dir.setText(str(stick))
    town.request_button.click()
    qtbot.waitUntil(lambda: "本机指纹" in town.request_result.text(), timeout=TIMEOUT)
    [request] = list(stick.glob("*.ufenrol"))
    fingerprint = town.fingerprint
    assert fingerprint in town.request_result.text() and "城关镇" in request.name
    town_dialog.grab().save(str(tmp / "enrol-township.png"))

    county_dialog, county = page(qtbot, ctx_c)
    assert not county.accept_button.isEnabled()
    county.request_file.setText(str(request))
    county.read_button.click()
    qtbot.waitUntil(lambda: "申请方指纹" in county.request_info.text(), timeout=TIMEOUT)
    assert fingerprint in county.request_info.text() and "城关镇" in county.request_info.text()
    assert not county.accept_button.isEnabled(), "no approval before the fingerprints are compared"
    county.same.click()
    assert county.accept_button.isEnabled()
    county.accept_pw.setText(PW)
    county_dialog.grab().save(str(tmp / "enrol-county.png"))
    county.accept_button.click()
    qtbot.waitUntil(lambda: "已批准" in county.accept_result.text(), timeout=TIMEOUT)
    [grant] = list(stick.glob("开通批复_*.ufenrol"))
    county_fp = county.accept_result.text().split("本机（县委统战部）指纹：")[1].split("（")[0]
    qtbot.waitUntil(lambda: county.peers.rowCount() == 2, timeout=TIMEOUT)
    rows = {county.peers.item(r, 0).text(): (county.peers.item(r, 1).text(), county.peers.item(r, 2).text())
            for r in range(2)}
    assert rows["城关镇"] == ("已开通", fingerprint)

    town.grant_file.setText(str(grant))
    town.finish_pw.setText("错误的交换口令-1")
    town.finish_button.click()
    qtbot.waitUntil(lambda: "交换口令" in town.finish_result.text(), timeout=TIMEOUT)
    assert "已完成开通" not in town.finish_result.text() and town.finish_button.isEnabled()
    town.finish_pw.setText(PW)
    town.finish_button.click()
    qtbot.waitUntil(lambda: "已完成开通" in town.finish_result.text(), timeout=TIMEOUT)
    assert county_fp in town.finish_result.text()
    qtbot.waitUntil(lambda: town.peers.rowCount() == 2, timeout=TIMEOUT)
    states = {town.peers.item(r, 0).text(): town.peers.item(r, 1).text() for r in range(2)}
    assert states == {"城关镇（本机）": "已开通", "县委统战部": "已开通"}
    town_dialog.grab().save(str(tmp / "enrol-township-done.png"))


def test_a_request_from_another_county_is_refused_with_a_sentence(qtbot, pair, tmp_path):
    from ufdesk.exchange import enrol
    from ufdesk.store import Store

    _ctx_t, ctx_c, tmp = pair
    other = Store.create(tmp / "other.db", county_code="510600", county_name="别的县",
                         townships=[("510600100", "某镇")], township="510600100")
    enrol.request(other, PW, tmp / "别县申请.ufenrol")
    other.close()
    _d, county = page(qtbot, ctx_c)
    county.request_file.setText(str(tmp / "别县申请.ufenrol"))
    county.read_button.click()
    qtbot.waitUntil(lambda: "其他县" in county.request_info.text(), timeout=TIMEOUT)
    assert not county.same.isEnabled() and not county.accept_button.isEnabled()


def test_an_editor_sees_the_fingerprints_but_cannot_enrol(qtbot, pair):
    ctx_t, _ctx_c, _tmp = pair
    ctx_t.services.role = "editor"
    _d, town = page(qtbot, ctx_t)
    assert not town.request_button.isEnabled() and not town.finish_button.isEnabled()
    qtbot.waitUntil(lambda: ctx_t.worker.busy == 0, timeout=TIMEOUT)
