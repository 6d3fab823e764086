"""Schema drift in words: what changed between two headers, or against the mapping."""

from __future__ import annotations

from backoffice.parsers.drift import (
    GAINED,
    LOST,
    RENAMED,
    Change,
    against_mapping,
    compare,
    describe,
)

HEADER = ["id_evento", "id_ordine_fornitore", "rif_riga", "stato", "data_ora", "motivo"]


def test_a_column_replaced_in_place_is_a_rename_and_others_are_gained_or_lost():
    after = ["id_evento", "id_ordine_fornitore", "rif_riga", "stato", "data_evento", "canale"]
    assert compare(HEADER, after) == [
        Change(RENAMED, "data_ora", "data_evento"),
        Change(RENAMED, "motivo", "canale"),
    ]
    assert compare(HEADER, [*HEADER, "canale"]) == [Change(GAINED, "canale")]
    assert compare(HEADER, [c for c in HEADER if c != "rif_riga"]) == [Change(LOST, "rif_riga")]
    assert describe(compare(HEADER, ["canale", *HEADER[:-1]])) == (
        "gained column canale; lost column motivo"
    )


def test_moved_columns_and_equal_headers_are_no_drift():
    assert compare(HEADER, HEADER) == []
    assert compare(HEADER, list(reversed(HEADER))) == []


def test_against_the_mapping_a_usual_or_close_name_is_a_rename():
    columns = {"event_id": "id_evento", "state_at": "data_ora", "order_line_id": "rif_riga"}
    usual = ["id_evento", "data_evento", "rif_riga"]  # data_evento: a usual name of state_at
    assert against_mapping(usual, columns) == [Change(RENAMED, "data_ora", "data_evento")]
    close = ["id_evento", "data_ora", "rif_rga"]  # a close spelling of the old name
    assert against_mapping(close, columns) == [Change(RENAMED, "rif_riga", "rif_rga")]
    accented = ["Quantità"]  # accents do not matter: quantita is a usual name of quantity
    assert against_mapping(accented, {"quantity": "Qta"}) == [Change(RENAMED, "Qta", "Quantità")]
    unrelated = ["id_evento", "rif_riga", "zzz"]
    assert against_mapping(unrelated, columns) == [Change(LOST, "data_ora")]
    assert against_mapping(HEADER, {"event_id": "id_evento"}) == []
