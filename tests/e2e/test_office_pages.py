"""Back-office pages in Chromium: reports (chart, table, CSV download), the price grid's bulk rule (wholesale =
retail − 5 %), a supplier created, a price sheet imported with a preview (a rejected row skipped), shifts and X."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoStack, screenshot
from tests.e2e.lane import call, login_pin, sell
from tests.e2e.test_office import office_sign_in

pytestmark = pytest.mark.slow


def product(base: str, token: str, product_id: int) -> dict[str, Any]:
    status, body = call(base, "GET", f"/api/products/{product_id}", token=token)
    assert status == 200, body
    return dict(body)


def test_reports_price_grid_suppliers_import_shifts(demo_stack: DemoStack, page: Any) -> None:
    api = demo_stack.api.base
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    token = login_pin(api, demo_stack.pins["cashier2"], "LANE-2")
    sell(api, token, [{"productId": 1, "quantity": 3}], 720_00)
    sell(api, token, [{"productId": 2, "quantity": 1}], 1_000_00)
    office_sign_in(page, demo_stack.web.base, "admin", demo_stack.passwords["admin"])

    # Reports: sales by hour today, a bar per hour with sales, totals, CSV.
    page.keyboard.press("Alt+6")
    page.wait_for_selector("select[name=report]")
    page.select_option("select[name=report]", "sales-by-hour")
    expect(page.locator("[data-testid=report-chart] .bar-row")).to_have_count(1, timeout=10_000)
    expect(page.locator("[data-testid=report-table] tfoot")).to_contain_text("Total")
    head = page.locator("[data-testid=report-table] thead")
    expect(head).to_contain_text("Hour")  # translated headers, not the API's field names
    expect(head).to_contain_text("Amount due")
    expect(head).not_to_contain_text("amountDue")
    expect(page.locator("[data-testid=report-table] tbody tr").first.locator("td").nth(1)).to_have_text("2")
    screenshot(page, "25-office-reports")
    page.get_by_role("button", name="සිංහල").click()  # the headers in Sinhala too
    expect(head).to_contain_text("ගෙවිය යුතු මුදල")
    screenshot(page, "25b-office-reports-si")
    page.get_by_role("button", name="English").click()
    expect(head).to_contain_text("Amount due")
    with page.expect_download() as dl:
        page.click("[data-testid=report-csv]")
    csv_text = dl.value.path().read_text(encoding="utf-8-sig")
    assert csv_text.startswith("hour,"), csv_text[:200]
    page.select_option("select[name=report]", "tenders")
    expect(page.locator("[data-testid=report-table]")).to_contain_text("cash", timeout=10_000)
    expect(head).to_contain_text("Tendered")
    page.select_option("select[name=report]", "top-products")  # quantities (units, kg) shown as quantities
    expect(head).to_contain_text("Quantity", timeout=10_000)
    expect(page.locator("[data-testid=report-table] tbody")).to_contain_text("3")

    # Price grid: wholesale = retail − 5 %, rounded to 0.50, for the products found.
    page.keyboard.press("Alt+2")
    shown = page.locator("p.muted", has_text="shown")  # the list's status line ("N shown")
    expect(shown).to_contain_text("100 shown", timeout=10_000)  # the first page of all products
    page.fill("input[name=q]", "samba rice 1kg")
    expect(shown).not_to_contain_text("100 shown", timeout=10_000)  # the search's answer replaced it
    rows = page.locator(".price-grid tbody tr")
    expect(rows.first).to_contain_text("Samba Rice")
    count = rows.count()
    assert 1 <= count < 20
    page.select_option("select[name=target]", "wholesale")
    page.select_option("select[name=base]", "retail")
    page.fill("input[name=change]", "-5")
    page.select_option("select[name=round]", "50")
    page.get_by_role("button", name=f"Apply to all {count} shown").click()
    edited = page.locator(".price-grid input.cell.edited")
    expect(edited.first).to_be_visible()
    screenshot(page, "26-office-price-grid")
    # Saving is one request for all products, all or nothing: a price above PRICE_MAX_MINOR is refused, nothing is
    # written, the refused row is marked and every edit stays.
    writes: list[str] = []
    page.on("request", lambda r: writes.append(f"{r.method} {r.url.split('/api/')[-1]}")
            if "/api/products" in r.url and r.method != "GET" else None)
    retail = rows.first.locator("input[name$=':retail']")
    original = retail.input_value()
    retail.fill("2000000")
    retail.press("Tab")
    n_edited = edited.count()
    page.get_by_role("button", name="Save changed prices").click()
    message = page.locator("[data-testid=grid-message]")
    expect(message).to_contain_text("Nothing was saved", timeout=15_000)
    expect(message).to_contain_text("PRICE_OUT_OF_RANGE")
    expect(page.locator(".price-grid tr.refused")).to_have_count(1)
    expect(page.locator(".price-grid tr.refused input.cell.bad")).to_have_value("2000000.00")  # the refused cell
    expect(edited).to_have_count(n_edited - 1)  # the other edits are all still there
    screenshot(page, "26b-office-price-grid-refused")
    assert product(api, token, 1)["prices"].get("wholesale") != 228_00  # nothing was written
    retail.fill(original)
    retail.press("Tab")
    page.get_by_role("button", name="Save changed prices").click()
    expect(message).to_contain_text("Prices saved", timeout=15_000)
    assert writes == ["POST products/price-changes"] * 2, writes
    p1 = product(api, token, 1)
    assert p1["prices"]["wholesale"] == 228_00  # 240.00 − 5 % = 228.00

    # Suppliers: create one.
    page.keyboard.press("Alt+5")
    page.get_by_role("button", name="New supplier").click()
    page.fill("input[name=name]", "Lanka Spice Traders")
    page.fill("input[name=phone]", "0112 345 678")
    page.keyboard.press("Enter")
    expect(page.locator(".grid tbody")).to_contain_text("Lanka Spice Traders", timeout=10_000)
    screenshot(page, "27-office-suppliers")

    # CSV import: a price sheet with one good row and one unknown SKU; preview, skip the rejection, commit.
    page.keyboard.press("Alt+3")
    page.select_option("select[name=kind]", "prices")
    sheet = f"sku,price_retail\r\n{p1['sku']},250.00\r\nNO-SUCH-SKU,1.00\r\n"
    page.set_input_files("input[name=file]", files=[{"name": "prices.csv", "mimeType": "text/csv",
                                                     "buffer": sheet.encode()}])
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("[data-testid=import-job]")).to_have_attribute("data-status", "ready", timeout=15_000)
    expect(page.locator("[data-testid=count-update]")).to_contain_text("1")
    expect(page.locator("[data-testid=count-rejected]")).to_contain_text("1")
    expect(page.locator(".import-job .grid")).to_contain_text("UNKNOWN_SKU")
    screenshot(page, "28-office-import-preview")
    page.get_by_role("checkbox", name="Skip the 1 rejected rows").check()
    page.get_by_role("button", name="Commit").click()
    expect(page.locator("[data-testid=import-outcome]")).to_contain_text("1 updated", timeout=15_000)
    assert product(api, token, 1)["prices"]["retail"] == 250_00

    # Shifts: LANE-2's shift (opened for the sales above) with its X report.
    page.keyboard.press("Alt+7")
    row = page.locator(".grid tbody tr", has_text="LANE-2").first
    expect(row).to_be_visible(timeout=10_000)
    row.get_by_role("button").click()
    expect(page.locator("[data-testid=report-text]")).to_contain_text("Sales (2)", timeout=10_000)
    screenshot(page, "29-office-shift-x")
    assert errors == []
