"""Small helpers for driving the app through HTTP in tests."""
import re
import subprocess
import tempfile
from pathlib import Path


def overview_url(cycle, state="FRA"):
    return f"/cycles/{cycle.id}/states/{state}/"


def section_url(cycle, section, state="FRA"):
    return f"/cycles/{cycle.id}/states/{state}/sections/{section}"


def field_errors(html: str) -> list[str]:
    return re.findall(r'class="field__error"[^>]*>([^<]+)<', html)


def input_value(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html) or \
        re.search(rf'<input[^>]*value="([^"]*)"[^>]*name="{re.escape(name)}"', html)
    return match.group(1) if match else None


def checked_values(html: str, name: str) -> list[str]:
    inputs = re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs if " checked" in tag]


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "profile.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout


def pdf_fonts(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "profile.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout


def plain_spaces(text: str) -> str:
    """Babel puts (narrow) no-break spaces in numbers and units: "10\u202fMo"."""
    return re.sub(r"[\xa0\u202f]", " ", text)
