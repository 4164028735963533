"""The web console in a real browser (headless Chromium + Selenium) against real `salesync serve`
processes on the test servers: sign-in, a clerk's add/edit/delete and Sync now at a branch, the
sale found at the head office with totals equal to SQL, a quarantined bundle retried from the
page and applied, a viewer refused, markup shown as text, quotes in a filter harmless; the
downlink: a cashier picking a product from the catalogue with the price and totals filled by the
server, the head office's Distribution view naming a branch still on the older price list, and
the console served over HTTPS.
Screenshots of every page go to $SALESYNC_SCREENSHOTS (not committed)."""
import os
import re
import time
import urllib.parse
import urllib.request
import urllib.error
import base64
import json
import subprocess

import pytest
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from weblab import PASSWORDS, ROOT, Sites, browser

SHOTS = os.environ.get("SALESYNC_SCREENSHOTS", os.path.join(ROOT, ".state/web-screenshots"))
XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def sites():
    s = Sites()
    s.urls = {"ho": s.serve("ho"), "b1": s.serve("b1")}
    yield s
    s.remove()


@pytest.fixture
def web():
    d = browser()
    yield d
    d.quit()


def shot(d, name):
    os.makedirs(SHOTS, exist_ok=True)
    d.save_screenshot(os.path.join(SHOTS, f"{name}.png"))


def login(d, url, user, password=None):
    d.get(url + "/login")
    d.find_element(By.NAME, "user").send_keys(user)
    d.find_element(By.NAME, "password").send_keys(password or PASSWORDS[user])
    d.find_element(By.ID, "signin").click()
    # Wait for the answer (a page with the sign-out form, or the refusal) before going on.
    WebDriverWait(d, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "form.logout") or d.find_elements(By.ID, "error"))


def job_outcome(d):
    """The Sync page's job outcome, or None while no page shows one. Read in one script: the page
    reloads itself every 2 s while the job runs, and an element found before a reload is gone after
    it (chromedriver: "Node with given id does not belong to the document")."""
    try:
        return d.execute_script("const e = document.getElementById('job-outcome'); return e ? e.textContent.trim() : null")
    except WebDriverException:  # the script ran while the next page was loading
        return None


def cell_texts(d, table_id="sales"):
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in d.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr")]


def fill(d, prefix, values):
    for k, v in values.items():
        e = d.find_element(By.ID, f"{prefix}-{k}")
        e.clear()
        if k == "sale_date":  # a date input takes keys in the browser's locale order; set it directly
            d.execute_script("arguments[0].value = arguments[1]", e, v)
        else:
            e.send_keys(v)


def test_sign_in_refuses_a_wrong_password_and_lets_the_right_one_in(sites, web):
    login(web, sites.urls["ho"], "manager", "not-the-password")
    assert "Unknown user or wrong password" in web.find_element(By.ID, "error").text
    shot(web, "login-refused")
    login(web, sites.urls["ho"], "manager")
    assert web.find_element(By.TAG_NAME, "h1").text == "Branches"
    rows = {r.get_attribute("data-branch"): [td.text for td in r.find_elements(By.TAG_NAME, "td")]
            for r in web.find_elements(By.CSS_SELECTOR, "#branches tbody tr")}
    assert sorted(rows) == sorted(sites.site.values())
    assert rows[sites.site["b1"]][1:3] == ["in step", "any time"]
    # Synced just now, outside its window (which opens in two hours): waiting, not late.
    assert rows[sites.site["b2"]][1:3] == ["waiting", sites.window]
    shot(web, "ho-branches")


def test_a_clerk_adds_edits_deletes_and_syncs_then_the_head_office_has_it(sites, web):
    b1, url = sites.site["b1"], sites.urls["b1"]
    login(web, url, "clerk")
    shot(web, "b1-landing")
    before = int(sites.scalar("SELECT COUNT(*) FROM product_sales", "b1"))
    # A bad quantity is refused with the field's name, and nothing is written.
    fill(web, "add", {"sale_date": "2026-11-20", "region": "Nord", "product": "Kettle", "qty": "abc",
                      "cost": "1.00", "amt": "1.00", "tax": "0.19", "total": "1.19"})
    web.find_element(By.ID, "add-button").click()
    assert "qty" in web.find_element(By.ID, "error").text and "whole number" in web.find_element(By.ID, "error").text
    assert int(sites.scalar("SELECT COUNT(*) FROM product_sales", "b1")) == before
    shot(web, "b1-add-refused")
    # A good one, with markup in its name.
    fill(web, "add", {"sale_date": "2026-11-20", "region": "Nord", "product": XSS, "qty": "3",
                      "cost": "2.50", "amt": "7.50", "tax": "1.43", "total": "8.93"})
    web.find_element(By.ID, "add-button").click()
    assert "Sale added" in web.find_element(By.ID, "notice").text
    assert int(sites.scalar("SELECT COUNT(*) FROM product_sales", "b1")) == before + 1
    new_id = sites.scalar(f"SELECT id FROM product_sales WHERE product = '{XSS}'", "b1")
    # Edit it: quantity 3 -> 4.
    web.get(url + "/sales?" + urllib.parse.urlencode({"q": XSS}))
    shot(web, "b1-sales")
    web.find_element(By.CSS_SELECTOR, "#sales a.edit").click()
    fill(web, "edit", {"qty": "4", "amt": "10.00", "total": "11.90"})
    shot(web, "b1-edit")
    web.find_element(By.ID, "save").click()
    assert "Sale saved" in web.find_element(By.ID, "notice").text
    assert sites.scalar(f"SELECT qty, total FROM product_sales WHERE id = {new_id}", "b1").split() == ["4", "11.90"]
    # Delete the first sale of the table.
    web.get(url + "/sales?sort=id")
    first_id = web.find_elements(By.CSS_SELECTOR, "#sales tbody tr")[0].find_elements(By.TAG_NAME, "td")[0].text
    web.find_elements(By.CSS_SELECTOR, "#sales button.delete")[0].click()
    assert "Sale deleted" in web.find_element(By.ID, "notice").text
    assert sites.scalar(f"SELECT COUNT(*) FROM product_sales WHERE id = {first_id}", "b1") == "0"
    # Sync now, with the head office's ingest run meanwhile so that the ack comes back.
    web.get(url + "/sync")
    assert int(web.find_element(By.ID, "unexported").text.split(": ")[1]) >= 3
    web.find_element(By.ID, "sync-now").click()
    deadline = time.time() + 90
    while time.time() < deadline:
        sites.ingest()
        web.get(url + "/sync")
        outcome = job_outcome(web)
        if outcome not in (None, "running"):
            break
        time.sleep(1)
    shot(web, "b1-sync")
    assert outcome == "done", web.find_element(By.ID, "job-log").text
    assert sites.same_rows("b1")
    # At the head office: the sale is there, shown as text, and the totals are SQL's.
    login(web, sites.urls["ho"], "manager")
    web.get(sites.urls["ho"] + "/sales?" + urllib.parse.urlencode({"branch": b1, "from": "2026-11-01", "to": "2026-11-30", "q": "script"}))
    with pytest.raises(NoAlertPresentException):
        web.switch_to.alert.text
    rows = cell_texts(web)
    assert any(XSS in r for r in rows), rows
    totals = web.find_element(By.ID, "totals").find_elements(By.TAG_NAME, "td")
    expected = sites.sql(f"""SELECT COUNT(*), SUM(qty), SUM(total) FROM product_sales WHERE branch_id = '{b1}'
        AND sale_date BETWEEN '2026-11-01' AND '2026-11-30' AND (region LIKE '%script%' OR product LIKE '%script%')""", db=sites.db["ho"]).split()
    assert totals[0].text == f"Total of {expected[0]} row(s)"
    assert totals[5].text == expected[1] and totals[9].text == expected[2]
    shot(web, "ho-sales-found")


def test_head_office_sales_filters_totals_groups_chart_and_csv(sites, web):
    login(web, sites.urls["ho"], "manager")
    web.get(sites.urls["ho"] + "/sales")
    Select(web.find_element(By.ID, "f-group")).select_by_value("region")
    web.find_element(By.ID, "apply").click()
    groups = cell_texts(web, "grouped")
    expected = sites.sql("SELECT region, COUNT(*), SUM(qty) FROM product_sales GROUP BY region ORDER BY region", db=sites.db["ho"])
    assert [g[:3] for g in groups] == [line.split("\t") for line in expected.strip().splitlines()]
    assert web.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    shot(web, "ho-sales")
    # Sorting by total, descending: the first row holds the largest total.
    web.get(sites.urls["ho"] + "/sales?sort=total&dir=desc")
    top = cell_texts(web)[0][9]
    assert top == sites.sql("SELECT MAX(total) FROM product_sales", db=sites.db["ho"]).strip()
    # The CSV download has every filtered row.
    cookie = web.get_cookie("salesync_session")["value"]
    req = urllib.request.Request(sites.urls["ho"] + "/sales.csv?branch=" + sites.site["b2"], headers={"Cookie": f"salesync_session={cookie}"})
    lines = urllib.request.urlopen(req).read().decode().splitlines()
    assert lines[0].startswith("branch_id,id,sale_date")
    assert len(lines) - 1 == int(sites.scalar(f"SELECT COUNT(*) FROM product_sales WHERE branch_id = '{sites.site['b2']}'", "ho"))


def test_quotes_in_a_filter_change_nothing(sites, web):
    login(web, sites.urls["ho"], "manager")
    before = sites.sql("CHECKSUM TABLE product_sales", db=sites.db["ho"])
    evil = "x' OR '1'='1\"; DROP TABLE product_sales; --"
    web.get(sites.urls["ho"] + "/sales?" + urllib.parse.urlencode({"q": evil}))
    assert web.find_element(By.ID, "summary").text.startswith("0 row(s) match")
    assert web.find_element(By.ID, "f-q").get_attribute("value") == evil
    assert sites.sql("CHECKSUM TABLE product_sales", db=sites.db["ho"]) == before
    shot(web, "ho-sales-quotes")


def test_a_quarantined_bundle_retried_from_the_page_is_applied(sites, web):
    b2 = sites.site["b2"]
    # The head office briefly has the wrong key for b2 (as after a branch's key was replaced).
    sites.write_ho("ho-wrongkey.toml", {"b1": sites.keys["b1"], "b2": sites.keys["b1"]})
    sites.load_sales("b2", 50, 77)
    sites.sync("b2", config=os.path.join(sites.dir, "ho-wrongkey.toml"))
    assert not sites.same_rows("b2")
    login(web, sites.urls["ho"], "manager")
    web.get(sites.urls["ho"] + "/quarantine")
    shot(web, "ho-quarantine")
    row = web.find_element(By.CSS_SELECTOR, "#quarantine tbody tr")
    assert b2 in row.text and "signature" in row.text.lower()
    row.find_element(By.CSS_SELECTOR, "button.retry").click()
    assert "back in the inbox" in web.find_element(By.ID, "notice").text
    assert "retried by manager" in web.find_element(By.CSS_SELECTOR, "#quarantine tbody tr").text
    sites.ingest()
    sites.salesync("--config", sites.path("b2"), "drain", "--ack-wait", "10s", check=False)
    assert sites.same_rows("b2")
    web.get(sites.urls["ho"] + "/branches/" + b2)
    shot(web, "ho-branch")
    assert web.find_elements(By.CSS_SELECTOR, "#bundles tbody tr")


def test_a_viewer_sees_but_cannot_act(sites, web):
    login(web, sites.urls["ho"], "viewer")
    web.get(sites.urls["ho"] + "/quarantine")
    assert not web.find_elements(By.CSS_SELECTOR, "button.retry")
    # Even a hand-made POST with the viewer's own session and token is refused.
    html = web.page_source
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    cookie = web.get_cookie("salesync_session")["value"]
    req = urllib.request.Request(sites.urls["ho"] + "/quarantine/1/drop", data=urllib.parse.urlencode({"csrf": token}).encode(),
                                 headers={"Cookie": f"salesync_session={cookie}"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req)
    assert e.value.code == 403
    # And at a branch, a viewer's add is refused the same way.
    login(web, sites.urls["b1"], "watcher")
    assert not web.find_elements(By.ID, "add")
    shot(web, "b1-viewer")


def test_forms_need_the_csrf_token_and_the_api_needs_credentials(sites, web):
    login(web, sites.urls["b1"], "clerk")
    cookie = web.get_cookie("salesync_session")["value"]
    before = sites.scalar("SELECT COUNT(*) FROM product_sales", "b1")
    req = urllib.request.Request(sites.urls["b1"] + "/sales", data=b"table=product_sales&sale_date=2026-11-20&region=N&product=P&qty=1&cost=1&amt=1&tax=0&total=1",
                                 headers={"Cookie": f"salesync_session={cookie}"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req)
    assert e.value.code == 403
    assert sites.scalar("SELECT COUNT(*) FROM product_sales", "b1") == before
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(sites.urls["ho"] + "/api/branches")
    assert e.value.code == 401
    auth = "Basic " + base64.b64encode(f"viewer:{PASSWORDS['viewer']}".encode()).decode()
    body = urllib.request.urlopen(urllib.request.Request(sites.urls["ho"] + "/api/sales/totals?branch=" + sites.site["b1"],
                                                         headers={"Authorization": auth})).read().decode()
    import json
    totals = json.loads(body)["totals"]
    assert totals["rows"] == int(sites.scalar(f"SELECT COUNT(*) FROM product_sales WHERE branch_id = '{sites.site['b1']}'", "ho"))
    assert isinstance(totals["qty"], int)


def test_a_cashier_picks_a_product_and_the_server_fills_price_and_totals(sites, web):
    if "b2" not in sites.urls:
        sites.urls["b2"] = sites.serve("b2")
    url = sites.urls["b2"]
    login(web, url, "cashier")
    product = web.find_element(By.ID, "add-product")
    assert product.get_attribute("list") == "catalogue"
    options = [o.get_attribute("value") for o in web.find_elements(By.CSS_SELECTOR, "datalist#catalogue option")]
    assert options == ["Croissant", "Espresso", "Umbrella"]
    # Price, amount, tax and total are the server's: the form has no field for them.
    for computed in ("cost", "amt", "tax", "total"):
        assert not web.find_elements(By.ID, f"add-{computed}")
    before = int(sites.scalar("SELECT COUNT(*) FROM product_sales", "b2"))
    fill(web, "add", {"sale_date": "2026-12-04", "region": "Sud", "product": "Nonsuch", "qty": "3"})
    web.find_element(By.ID, "add-button").click()
    assert "product: expected a product of the catalogue" in web.find_element(By.ID, "error").text
    assert int(sites.scalar("SELECT COUNT(*) FROM product_sales", "b2")) == before
    # Picking from the list: typing the start of the name and taking the browser's suggestion.
    fill(web, "add", {"sale_date": "2026-12-04", "region": "Sud", "product": "Espr", "qty": "3"})
    product = web.find_element(By.ID, "add-product")
    product.clear()
    product.send_keys("Espresso")
    shot(web, "b2-catalogue-add")
    web.find_element(By.ID, "add-button").click()
    assert "Sale added." in web.find_element(By.ID, "notice").text
    row = sites.scalar("SELECT cost, amt, tax, total FROM product_sales WHERE region = 'Sud' AND product = 'Espresso' "
                       "AND sale_date = '2026-12-04'", "b2").split()
    assert row == ["2.10", "6.30", "0.63", "6.93"]  # 3 x 2.10 (the December price), 10 % tax
    # An older date takes the price then in force.
    fill(web, "add", {"sale_date": "2026-11-20", "region": "Sud", "product": "Espresso", "qty": "2"})
    web.find_element(By.ID, "add-button").click()
    older = "SELECT cost, total FROM product_sales WHERE region = 'Sud' AND sale_date = '2026-11-20' AND product = 'Espresso'"
    WebDriverWait(web, 10).until(lambda _: sites.scalar(older, "b2"))
    assert sites.scalar(older, "b2").split() == ["1.90", "4.18"]
    web.get(url + "/prices")
    shot(web, "b2-prices")
    rows = cell_texts(web, "prices")
    assert ["Espresso", "2.10", "2026-12-01", "10.00"] in rows
    assert "downlink bundle" in web.find_element(By.ID, "received").text


def test_the_distribution_view_names_a_branch_still_on_the_older_price_list(sites, web):
    sites.sql("INSERT INTO prices VALUES (2, '2026-12-05', 1.95)", db=sites.db["ho"])
    sites.ingest()  # exports the change and publishes it to both branches' queues
    sites.salesync("--config", sites.path("b1"), "drain", "--ack-wait", "5s", check=False)  # b1 takes it; b2 is offline
    sites.ingest()  # b1's acknowledgement
    login(web, sites.urls["ho"], "manager")
    web.get(sites.urls["ho"] + "/distribution")
    shot(web, "ho-distribution")
    prices = web.find_element(By.CSS_SELECTOR, '#downlink-tables li[data-table="prices"]').text
    assert "applied at 1 of 2 branch(es)" in prices
    assert f"{sites.site['b2']} still on" in prices
    products = web.find_element(By.CSS_SELECTOR, '#downlink-tables li[data-table="products"]').text
    assert "applied at 2 of 2 branch(es)" in products
    auth = "Basic " + base64.b64encode(f"viewer:{PASSWORDS['viewer']}".encode()).decode()
    body = json.loads(urllib.request.urlopen(urllib.request.Request(sites.urls["ho"] + "/api/distribution",
                                                                    headers={"Authorization": auth})).read())
    table = next(t for t in body["tables"] if t["name"] == "prices")
    assert [b["branch"] for b in table["behind"]] == [sites.site["b2"]]


def test_the_console_serves_https_with_the_configured_certificate(sites, web):
    cert, key = os.path.join(sites.dir, "console.crt"), os.path.join(sites.dir, "console.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                    "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    os.chmod(key, 0o600)
    sites.write_ho("ho-tls.toml", sites.keys, web=f'cert_file = "{cert}"\nkey_file = "{key}"\n')
    url = sites.serve("ho", config=os.path.join(sites.dir, "ho-tls.toml"), https=True)
    login(web, url, "manager")
    assert web.current_url.startswith("https://")
    assert web.get_cookie("salesync_session")["secure"] is True
    web.get(url + "/distribution")
    shot(web, "ho-https-distribution")
    assert web.find_element(By.TAG_NAME, "h1").text == "Distribution"
    # The same port does not speak plain HTTP.
    with pytest.raises(Exception):
        urllib.request.urlopen(url.replace("https://", "http://") + "/login", timeout=3).read()
    # A certificate file that is not one stops serve with exit 78, naming the key.
    with open(os.path.join(sites.dir, "bad.crt"), "w") as f:
        f.write("not a certificate\n")
    sites.write_ho("ho-badtls.toml", sites.keys, web=f'cert_file = "{sites.dir}/bad.crt"\nkey_file = "{key}"\n')
    r = subprocess.run([sites.bin, "--config", os.path.join(sites.dir, "ho-badtls.toml"), "serve", "--listen", "127.0.0.1:1"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 78, r.stderr
    assert "web.cert_file" in r.stderr


def test_a_branch_restored_from_a_backup_shows_at_both_consoles_and_its_operator_rejoins_it(sites, web):
    """Last in the file: b1 goes back in time and rejoins, in a new epoch."""
    b1 = sites.site["b1"]
    state = os.path.join(sites.dir, f"state-{b1}")
    dump = os.path.join(sites.dir, "b1-backup.sql")
    # Last night's backup: the database (triggers, AUTO_INCREMENT) and the state directory.
    with open(dump, "w") as f:
        subprocess.run(["mariadb-dump", "-S", sites.sock, "-uroot", "--single-transaction", "--triggers", sites.db["b1"]],
                       stdout=f, check=True)
    subprocess.run(["cp", "-a", state, state + ".backup"], check=True)
    sites.load_sales("b1", 30, 91)
    sites.sync("b1")
    held_before = sites.scalar(f"SELECT COUNT(*) FROM product_sales WHERE branch_id = '{b1}'", "ho")
    # The disk is restored from it; the shop sells on and syncs.
    sites.sql(f"DROP DATABASE `{sites.db['b1']}`", f"CREATE DATABASE `{sites.db['b1']}` CHARACTER SET utf8mb4")
    with open(dump) as f:
        subprocess.run(["mariadb", "-S", sites.sock, "-uroot", sites.db["b1"]], stdin=f, check=True)
    subprocess.run(["rm", "-rf", state], check=True)
    subprocess.run(["mv", state + ".backup", state], check=True)
    sites.load_sales("b1", 12, 92)
    sites.sync("b1")
    r = sites.salesync("--config", sites.path("b1"), "drain", "--ack-wait", "5s", check=False)
    assert r.returncode == 65 and "went back in time" in r.stderr, r.stderr
    # Nothing of the branch's new history is applied over the old one; nothing is quarantined.
    assert sites.scalar(f"SELECT COUNT(*) FROM product_sales WHERE branch_id = '{b1}'", "ho") == held_before
    assert sites.scalar(f"SELECT COUNT(*) FROM salesync_quarantine WHERE branch_id = '{b1}'", "ho") == "0"

    login(web, sites.urls["ho"], "manager")
    web.get(sites.urls["ho"] + "/branches/" + b1)
    shot(web, "ho-branch-went-back")
    note = web.find_element(By.CSS_SELECTOR, "p.went-back").text
    assert f"{b1} went back in time: restored from a state before bundle" in note and "docs/operations.md" in note, note
    assert web.find_element(By.CSS_SELECTOR, "b.h-attention").text == "attention"
    assert "verdict drift" in web.find_element(By.TAG_NAME, "main").text

    login(web, sites.urls["b1"], "clerk")
    web.get(sites.urls["b1"] + "/sync")
    shot(web, "branch-sync-went-back")
    assert "went back in time" in web.find_element(By.CSS_SELECTOR, "p.went-back").text

    # The operator at the branch starts the rejoin from the Sync page and sees it complete.
    web.find_element(By.ID, "rejoin").click()
    WebDriverWait(web, 120).until(lambda d: job_outcome(d) not in (None, "running"))
    shot(web, "branch-sync-rejoined")
    assert job_outcome(web) == "done", web.find_element(By.ID, "job-log").text
    report = web.find_element(By.ID, "rejoin-report").text
    assert "rejoined in epoch 1" in report and "re-keyed" in report, report
    assert not web.find_elements(By.ID, "rejoin")
    sites.sync("b1")
    assert sites.same_rows("b1")
    login(web, sites.urls["ho"], "manager")
    web.get(sites.urls["ho"] + "/branches/" + b1)
    shot(web, "ho-branch-rejoined")
    assert not web.find_elements(By.CSS_SELECTOR, "p.went-back")
    assert "verdict match" in web.find_element(By.TAG_NAME, "main").text
