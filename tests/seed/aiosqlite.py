"""A minimal aiosqlite over the standard library's sqlite3, enough to run the seed unchanged.

aiosqlite runs the same sqlite3 calls on a thread; doing them inline keeps the locking behaviour
(implicit transactions, 5 s busy timeout) that matters to the tests.
"""
import sqlite3

Row = sqlite3.Row


class _Cursor:
    def __init__(self, cursor):
        self._cursor = cursor

    async def fetchone(self):
        return self._cursor.fetchone()

    async def fetchall(self):
        return self._cursor.fetchall()


class _Execution:
    def __init__(self, conn, sql, params):
        self._cursor = _Cursor(conn.execute(sql, params))

    def __await__(self):
        async def result():
            return self._cursor

        return result().__await__()

    async def __aenter__(self):
        return self._cursor

    async def __aexit__(self, *exc):
        return False


class Connection:
    def __init__(self, path):
        self._conn = sqlite3.connect(path)

    @property
    def row_factory(self):
        return self._conn.row_factory

    @row_factory.setter
    def row_factory(self, factory):
        self._conn.row_factory = factory

    def execute(self, sql, params=()):
        return _Execution(self._conn, sql, params)

    async def commit(self):
        self._conn.commit()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self._conn.close()
        return False


def connect(path):
    return Connection(path)
