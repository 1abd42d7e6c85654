"""Per-installation keys: this installation's own (private half locked by the exchange
passphrase) and every certified peer's public keys, as the county issued or revoked them.

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trust_keys",
        sa.Column("installation", sa.String(length=32), nullable=False),
        sa.Column("township", sa.String(length=9), nullable=True),
        sa.Column("name", sa.String(length=60), nullable=True),
        sa.Column("sign_pub", sa.String(length=64), nullable=False),
        sa.Column("age_pub", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("cert", sa.Text(), nullable=True),
        sa.Column("signature", sa.String(length=100), nullable=True),
        sa.Column("secret", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("installation", name=op.f("pk_trust_keys")),
    )


def downgrade() -> None:
    op.drop_table("trust_keys")
