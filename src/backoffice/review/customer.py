"""A customer's page: every open exception of that customer, and what they are owed net of
the credits the providers already issued."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Request

from backoffice.review.web import StoreDep, render

router = APIRouter()
LIMIT = 1000


@router.get("/customers/{customer_vat}", name="customer")
def customer_page(request: Request, customer_vat: str, store: StoreDep):
    from backoffice.cases.store import CaseFilter

    flt = CaseFilter(customer_vat=customer_vat, exception_status=("open",))
    page = store.query(flt, sort="amount_eur", descending=True, limit=LIMIT)
    owed = sum((r.amount_eur for r in page.rows if r.amount_eur > 0), Decimal("0"))
    credited = sum((r.credited_eur or Decimal("0") for r in page.rows if r.amount_eur > 0),
                   Decimal("0"))  # fmt: skip
    return render(
        request,
        "customer.html",
        customer_vat=customer_vat,
        name=next((r.customer_name for r in page.rows if r.customer_name), None),
        page=page,
        rows=page.rows,
        owed_gross=owed,
        credited=credited,
        owed_net=page.total_owed_eur,
    )
