"""Provider claim packs from the app: the button that makes one, and the packs made so far.

Making a pack writes (a workbook, a letter, a claim recorded on every case it claims), so
its route is on the write router: an auditor sees the packs and downloads them, and the
server refuses their POST. The pack itself is built by `backoffice.followup.claims`, the
same function as `backoffice claims --provider P`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse

from backoffice.registry import load_registry
from backoffice.review.auth import WriterDep
from backoffice.review.web import SettingsDep, render
from backoffice.settings import Settings

router = APIRouter()
write_router = APIRouter()

DOWNLOADS = {".xlsx", ".html"}


def _providers(settings: Settings) -> list[str]:
    return [name for name in load_registry(settings.registry_path).sources if name != "crm"]


def _packs(settings: Settings, provider: str) -> list[Path]:
    folder = settings.claims_dir / provider
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix in DOWNLOADS]
    return sorted(files, key=lambda p: p.stat().st_mtime_ns, reverse=True)


@router.get("/claims", name="claims")
def claims_page(request: Request, settings: SettingsDep):
    providers = _providers(settings)
    return render(
        request,
        "claims.html",
        providers=providers,
        packs={p: _packs(settings, p) for p in providers},
        made=request.query_params.get("made"),
    )


@router.get("/claims/{provider}/{filename}", name="claim_file")
def claim_file(provider: str, filename: str, settings: SettingsDep):
    """A pack's workbook or letter, only from that provider's claims folder."""
    if provider not in _providers(settings):
        raise HTTPException(404, f"no provider {provider!r}")
    wanted = {p.name: p for p in _packs(settings, provider)}
    if filename not in wanted:
        raise HTTPException(404, f"no claim file {filename!r} for {provider}")
    return FileResponse(wanted[filename], filename=filename)


@write_router.post("/claims/{provider}", name="claim_make")
def claim_make(request: Request, provider: str, settings: SettingsDep, who: WriterDep):
    from backoffice.followup.claims import build_claim_pack

    if provider not in _providers(settings):
        raise HTTPException(404, f"no provider {provider!r}")
    build_claim_pack(settings, provider, None, actor=who.name)  # "nothing to claim" is a 400
    url = request.url_for("claims")
    return RedirectResponse(f"{url.path}?made={provider}", status_code=303)
