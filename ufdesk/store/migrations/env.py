"""Alembic environment: migrations run on the engine ufdesk hands over (never from an ini file)."""

from alembic import context

from ufdesk.store.schema import metadata, postgresql_partial_indexes

postgresql_partial_indexes()  # autogenerate renders them, as the migrations write them

config = context.config
engine = config.attributes.get("engine")


def run() -> None:
    if engine is None:  # `alembic revision --autogenerate` from a developer's shell
        url = config.get_main_option("sqlalchemy.url")
        from ufdesk.store.engine import create_engine

        eng = create_engine(url)
    else:
        eng = engine
    with eng.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies tables
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run()
