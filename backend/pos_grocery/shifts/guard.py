"""What checkout asks of shifts, inside its own write transaction (so a Z close cannot slip in between).

- `require_open(conn, terminal_id)`: the terminal's open shift id, or 409 SHIFT_NOT_OPEN.
- `attach_sale(conn, sale_id, shift_id)` / `attach_return(...)`: stamp the row with its shift.
- `check_sale_shift_open(conn, sale_id)`: a completed sale can be voided only while its shift is open.
"""

from __future__ import annotations

import apsw

from pos_grocery.db.connection import fetch_one
from pos_grocery.errors import Conflict

OPEN = "SELECT id FROM shifts WHERE terminal_id = ? AND status = 'open'"


def open_shift(conn: apsw.Connection, terminal_id: int | None) -> int | None:
    """The id of the terminal's open shift (None when there is none or no terminal)."""
    if terminal_id is None:
        return None
    row = fetch_one(conn, OPEN, (terminal_id,))
    return None if row is None else int(row[0])


def require_open(conn: apsw.Connection, terminal_id: int | None, what: str = "sell") -> int:
    """The open shift of the terminal; 409 SHIFT_NOT_OPEN when there is none."""
    shift_id = open_shift(conn, terminal_id)
    if shift_id is None:
        raise Conflict(
            f"There is no open shift on this terminal: open one (POST /api/shifts with the float) to {what}.",
            "SHIFT_NOT_OPEN",
        )
    return shift_id


def attach_sale(conn: apsw.Connection, sale_id: int, shift_id: int) -> None:
    """The sale belongs to the shift (same transaction as the sale)."""
    conn.execute("UPDATE sales SET shift_id = ? WHERE id = ?", (shift_id, sale_id))


def attach_return(conn: apsw.Connection, return_id: int, terminal_id: int | None, method: str) -> None:
    """A refund belongs to the terminal's open shift; a cash refund without one is refused (409 SHIFT_NOT_OPEN)."""
    shift_id = require_open(conn, terminal_id, "refund cash") if method == "cash" else open_shift(conn, terminal_id)
    if shift_id is not None:
        conn.execute("UPDATE returns SET shift_id = ? WHERE id = ?", (shift_id, return_id))


def check_sale_shift_open(conn: apsw.Connection, sale_id: int) -> None:
    """409 SHIFT_CLOSED when the sale's shift has been closed by its Z (the Z would no longer add up)."""
    row = fetch_one(
        conn, "SELECT sh.status FROM sales s JOIN shifts sh ON sh.id = s.shift_id WHERE s.id = ?", (sale_id,)
    )
    if row is not None and row[0] == "closed":
        raise Conflict("The sale's shift is closed (Z report issued); refund it with a return instead.", "SHIFT_CLOSED")
