"""Uploads are judged by their content, not their name (core/uploads.py)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from stegvis.core.uploads import check_upload

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_pdf_and_a_word_file_pass_with_their_content_types():
    assert check_upload(upload("plan.pdf", PDF)).content_type == "application/pdf"
    kind = check_upload(upload("Policy.DOCX", docx_bytes()))
    assert kind.key == "word" and kind.content_type.endswith("wordprocessingml.document")


def test_a_text_file_named_pdf_is_refused_by_its_content():
    with pytest.raises(ValidationError) as e:
        check_upload(upload("plan.pdf", b"just some text, not a pdf at all"))
    assert e.value.code == "kind"


def test_a_png_named_pdf_is_refused_as_a_mismatch():
    with pytest.raises(ValidationError) as e:
        check_upload(upload("plan.pdf", PNG))
    assert e.value.code == "mismatch"
    assert ".png" in e.value.messages[0]


def test_an_executable_renamed_png_is_refused():
    with pytest.raises(ValidationError) as e:
        check_upload(upload("cat.png", b"MZ\x90\x00" + b"\x00" * 200))
    assert e.value.code == "kind"


def test_an_empty_file_and_a_too_large_one_are_refused():
    with pytest.raises(ValidationError) as e:
        check_upload(upload("a.pdf", b""))
    assert e.value.code == "empty"
    with override_settings(STEGVIS_UPLOAD_MAX_BYTES=100), pytest.raises(ValidationError) as e:
        check_upload(upload("a.pdf", PDF + b" " * 200))
    assert e.value.code == "too_large"


def test_kinds_narrow_what_is_allowed():
    with pytest.raises(ValidationError):
        check_upload(upload("pic.png", PNG), kinds={"pdf"})
    assert check_upload(upload("pic.png", PNG), kinds={"image"}).key == "image"
