"""Every migration runs forward on a database holding the demo data (run by tests/test_migrations.py in a subprocess,
against a copy of the seeded demo site; DATABASE_URL names it).

1. Read every table of the seeded database (the demo at the current schema).
2. Unapply every migration of the project's apps (``tdkt``, ``movements``, ``nominations``, ``councils``) and of the
   apps that depend on them (``admin``), newest first, with the demo data in place: the reverse operations run on
   populated tables (tables created by a migration are dropped with their rows when it is unapplied).
3. Apply the migrations again one at a time, in the order ``migrate`` uses. As soon as a table exists again, it gets
   back its demo rows (the columns it has at that point): so each migration runs forward on a database holding all
   the demo data its schema can hold, as it would when upgrading a site that has been used for years.
4. The result must equal the start: every table keeps all its rows, with the values they had in every column that
   existed when the table got them back (a column added by a later migration holds what that migration put there),
   the other tables are unchanged, and every migration is recorded again.

A future migration that drops or renames a column holding demo data makes step 3 fail on a missing NOT NULL value:
give the old column's value in ``OLD_COLUMNS`` (``{(table, column): function(row as dict) -> value}``).

Prints one JSON line: the migrations unapplied and re-applied, and the tables refilled.
"""

import datetime
import json

import django

PROJECT_APPS = ("tdkt", "movements", "nominations", "councils")
OLD_COLUMNS = {}


def main():
    django.setup()
    # Imported after django.setup(): these modules need the app registry.
    from django.db import connection, transaction
    from django.db.migrations.executor import MigrationExecutor

    from tdkt.backup import canonical, table_digests

    def tables():
        with connection.cursor() as cursor:
            return set(connection.introspection.table_names(cursor))

    def read(table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            return [column[0] for column in cursor.description], cursor.fetchall()

    def digests():
        with transaction.atomic():
            found = table_digests(connection)
        found.pop("django_migrations")
        return found

    def applied():
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            return sorted(cursor.fetchall())

    def adapt(value):
        if connection.vendor == "postgresql" and isinstance(value, (dict, list)):
            from psycopg.types.json import Jsonb  # imported here: PostgreSQL only

            return Jsonb(value)
        if connection.vendor == "sqlite" and isinstance(value, datetime.time):
            return value.isoformat()  # read back as a time (Django's converter), but sqlite3 binds no time objects
        return value

    def lines(columns, rows):
        return sorted(json.dumps([canonical(v) for v in row], ensure_ascii=False) for row in rows)

    def refill(table, snapshot):
        """Put the demo rows back into a table that exists again (its current columns only); returns the columns."""
        columns, rows = snapshot
        with connection.cursor() as cursor:
            current = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # rows a data migration just wrote
            kept = [c for c in current if c in columns or (table, c) in OLD_COLUMNS]
            sql = (f"INSERT INTO {connection.ops.quote_name(table)} ({', '.join(connection.ops.quote_name(c) for c in kept)}) "
                   f"VALUES ({', '.join(['%s'] * len(kept))})")
            for row in rows:
                values = dict(zip(columns, row, strict=True))
                cursor.execute(sql, [adapt(OLD_COLUMNS[(table, c)](values) if (table, c) in OLD_COLUMNS and c not in values else values[c])
                                     for c in kept])
            if connection.vendor == "postgresql":
                for sequence in connection.introspection.get_sequences(cursor, table):
                    column = connection.ops.quote_name(sequence["column"])
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) "
                                   f"FROM {connection.ops.quote_name(table)}", [table, sequence["column"]])
        return [c for c in kept if c in columns]

    before, before_applied = digests(), applied()
    snapshots = {table: read(table) for table in tables() if table != "django_migrations"}

    executor = MigrationExecutor(connection)
    backwards = executor.migration_plan([(app, None) for app in PROJECT_APPS])
    executor.migrate([(app, None) for app in PROJECT_APPS], plan=backwards)
    dropped = sorted(set(snapshots) - tables())

    executor = MigrationExecutor(connection)
    forwards = executor.migration_plan(executor.loader.graph.leaf_nodes())
    state = executor._create_project_state(with_applied_migrations=True)
    refilled = {}  # table -> the columns it got back
    for migration, _backwards in forwards:
        state.apps  # noqa: B018  (render the models once, as ``migrate`` does before applying)
        state = executor.apply_migration(state, migration)
        with transaction.atomic():
            for table in sorted(tables() & set(dropped) - set(refilled)):
                refilled[table] = refill(table, snapshots[table])

    after, after_applied = digests(), applied()
    different = sorted(table for table in set(before) | set(after) if table not in refilled and before.get(table) != after.get(table))
    for table, columns in refilled.items():
        names, rows = snapshots[table]
        positions = [names.index(c) for c in columns]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(connection.ops.quote_name(c) for c in columns)} FROM {connection.ops.quote_name(table)}")
            if lines(columns, cursor.fetchall()) != lines(columns, [[row[i] for i in positions] for row in rows]):
                different.append(table)
    print(json.dumps({
        "unapplied": [f"{m.app_label}.{m.name}" for m, _ in backwards],
        "reapplied": [f"{m.app_label}.{m.name}" for m, _ in forwards],
        "dropped": dropped, "refilled": sorted(refilled), "different_tables": sorted(different),
        "columns_added_after_refill": sorted(f"{t}.{c}" for t in refilled for c in snapshots[t][0] if c not in refilled[t]),
        "migrations_recorded_again": after_applied == before_applied,
        "rows": sum(entry["rows"] for entry in after.values()),
    }))


if __name__ == "__main__":
    main()
