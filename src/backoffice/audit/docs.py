"""The night's documentation for auditors: dbt docs and GX Data Docs that open anywhere.

- dbt docs: `dbt docs generate --static` after the night's build writes one self-contained
  page (manifest and catalog inside) to `<data>/docs/dbt/index.html`, beside `manifest.json`
  and `catalog.json`: every model and column with its description, opened from a file on a
  machine with no network. A night regenerates it only when the dbt project, dbt or the
  warehouse's schema changed since it was made (`<data>/docs/dbt.stamp.json` says from what).
- GX Data Docs are rendered by GX with their styles and scripts loaded from public CDNs
  (Bootstrap, jQuery, bootstrap-table, Vega); offline the index is blank, because its tables
  are filled by bootstrap-table. GX ships none of those files, so each page is rewritten once:
  the CDN tags go, and a small inline stylesheet and script take their place. The script fills
  the tables from the same data GX wrote into the page (a plain `$(...).bootstrapTable`
  stand-in) and switches tabs; charts (Vega) are not drawn offline, their numbers are in the
  tables.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from backoffice.settings import Settings

log = logging.getLogger(__name__)

OFFLINE_MARK = "<!-- backoffice: offline -->"
_CDN_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>\s*", re.I)
_CDN_LINK = re.compile(r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>\s*", re.I)
_REMOTE_IMG = re.compile(r"(<img\b[^>]*\bsrc=)\"https?://[^\"]*\"", re.I)

OFFLINE_CSS = """
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;
color:#212529;background:#fff;font-size:14px}
a{color:#0b5cad}.container-fluid{padding:0 16px}.row{display:flex;flex-wrap:wrap}
.col-md-2,.col-lg-2{flex:0 0 16%;max-width:16%}.col-md-10,.col-lg-10{flex:1 1 80%}
.col-12,.col{flex:1 1 100%}.navbar{padding:8px 16px;border-bottom:1px solid #ddd}
.nav-tabs{display:flex;list-style:none;padding:0;border-bottom:1px solid #ccc;margin:8px 0}
.nav-tabs .nav-link{display:block;padding:6px 12px;text-decoration:none;border:1px solid
transparent}.nav-tabs .nav-link.active{border-color:#ccc #ccc #fff;background:#fff}
.tab-pane{display:none}.tab-pane.active{display:block}.fade{opacity:1}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #ddd;
padding:4px 6px;text-align:left;vertical-align:top}th{background:#f3f4f6}
tr.clickable-row:hover{background:#eef5ff}.text-success{color:#1a7f37}
.text-danger{color:#c62828}.card{border:1px solid #ddd;margin:8px 0;padding:8px}
.badge{display:inline-block;padding:1px 6px;border-radius:8px;background:#eee}
.d-none,.modal{display:none}.btn{border:1px solid #999;background:#f7f7f7;padding:2px 8px}
.ge-success-icon::before{content:"\\2714 ";color:#1a7f37}
.ge-failed-icon::before{content:"\\2716 ";color:#c62828}
.fas,.fa{font-style:normal}code,pre{white-space:pre-wrap}
</style>
"""

OFFLINE_JS = """
<script>
/* Offline stand-in for jQuery + bootstrap-table as GX Data Docs use them. */
(function(){
  function ready(fn){ if(document.readyState!=='loading'){fn();}
    else{document.addEventListener('DOMContentLoaded',fn);} }
  function fill(table, opts){
    var cols=opts.columns||[], rows=opts.data||[];
    var head='<thead><tr>'+cols.map(function(c){return '<th>'+(c.title||c.field)+'</th>';})
      .join('')+'</tr></thead>';
    var body='<tbody>'+rows.map(function(r){
      var link=r._table_row_link_path?' class="clickable-row" data-href="'+
        r._table_row_link_path+'" style="cursor:pointer"':'';
      return '<tr'+link+'>'+cols.map(function(c){
        var v=r[c.field]; return '<td>'+(v===undefined||v===null?'':v)+'</td>';}).join('')
        +'</tr>';}).join('')+'</tbody>';
    table.innerHTML=head+body;
    table.querySelectorAll('tr[data-href]').forEach(function(tr){
      tr.addEventListener('click',function(e){
        if(e.target.tagName!=='A'){window.location=tr.getAttribute('data-href');}});});
  }
  function wrap(nodes){
    return {
      bootstrapTable:function(opts){ if(typeof opts==='object'){
        nodes.forEach(function(n){fill(n,opts);});} return this; },
      on:function(){return this;}, ready:function(fn){ready(fn);return this;},
      data:function(){return undefined;}, tooltip:function(){return this;},
      popover:function(){return this;}, collapse:function(){return this;},
      datepicker:function(){return this;}, addClass:function(){return this;},
      removeClass:function(){return this;}, each:function(){return this;}
    };
  }
  function $(sel){
    if(typeof sel==='function'){ready(sel);return wrap([]);}
    if(sel===document||sel===window){return wrap([]);}
    if(typeof sel!=='string'){return wrap(sel?[sel]:[]);}
    try{return wrap(Array.prototype.slice.call(document.querySelectorAll(sel)));}
    catch(e){return wrap([]);}
  }
  window.$=window.jQuery=$;
  window.vegaEmbed=function(){return Promise.resolve();};
  ready(function(){
    document.querySelectorAll('[data-toggle="tab"]').forEach(function(a){
      a.addEventListener('click',function(e){
        e.preventDefault();
        var nav=a.closest('.nav'); if(nav){nav.querySelectorAll('.nav-link')
          .forEach(function(x){x.classList.remove('active');});}
        a.classList.add('active');
        var pane=document.querySelector(a.getAttribute('href'));
        if(pane&&pane.parentElement){
          Array.prototype.forEach.call(pane.parentElement.children,function(p){
            p.classList.remove('active','show');});
          pane.classList.add('active','show');}
      });
    });
  });
})();
</script>
"""


def data_docs_dir(settings: Settings) -> Path:
    return settings.gx_dir / "data_docs"


def dbt_docs_dir(settings: Settings) -> Path:
    return settings.data_dir / "docs" / "dbt"


def offline_page(html: str, logo: str) -> str:
    """One Data Docs page without a byte from the network."""
    if OFFLINE_MARK in html:
        return html
    html = _CDN_SCRIPT.sub("", html)
    html = _CDN_LINK.sub("", html)
    html = _REMOTE_IMG.sub(lambda m: f'{m.group(1)}"{logo}"', html)
    head = OFFLINE_MARK + OFFLINE_CSS + OFFLINE_JS
    if "</head>" in html:
        return html.replace("</head>", head + "</head>", 1)
    return head + html


def make_data_docs_offline_dir(directory: Path, since: float | None = None) -> int:
    """Rewrite every page not yet made offline under `directory`; return how many.

    With `since` (a time.time()), only pages written since then are read: a night's data
    checks render the index and that night's pages only, and reading every kept night's
    pages again would make each night's cost grow with the history.
    """
    logo = directory / "static" / "images" / "logo-long.png"
    changed = 0
    for page in directory.rglob("*.html"):
        if since is not None and page.stat().st_mtime < since:
            continue  # written before: made offline then
        text = page.read_text(encoding="utf-8")
        if OFFLINE_MARK in text:
            continue
        relative_logo = os.path.relpath(logo, page.parent).replace(os.sep, "/")
        page.write_text(offline_page(text, relative_logo), encoding="utf-8")
        changed += 1
    return changed


def make_data_docs_offline(settings: Settings, as_of: date | None = None) -> Path | None:
    """The night's Data Docs made offline (idempotent); the index's path."""
    directory = data_docs_dir(settings)
    if not directory.is_dir():
        return None
    index = directory / "index.html"
    if index.is_file() and OFFLINE_MARK in index.read_text(encoding="utf-8"):
        return index  # the night's data checks made their pages offline as they wrote them
    make_data_docs_offline_dir(directory)
    return index


def dbt_docs_stamp(settings: Settings) -> Path:
    """What the dbt docs in `dbt_docs_dir` were made from (beside the folder, not served)."""
    return settings.data_dir / "docs" / "dbt.stamp.json"


def dbt_docs_made_from(settings: Settings) -> dict[str, Any]:
    """What dbt's docs are made of: the project's files, dbt's version, the build's schema.

    dbt's catalog for DuckDB reads the tables, views, columns, types and comments, no
    statistics, and the manifest is the project's: a night's data changes none of it.
    """
    import duckdb

    from backoffice.audit.versions import DBT_SKIP, tree_sha256
    from backoffice.night.unchanged import schema_hash, tool_versions

    project = settings.dbt_project_dir
    with duckdb.connect(str(settings.build_warehouse), read_only=True) as con:
        schema = schema_hash(con)
    return {
        "project": tree_sha256(project, DBT_SKIP),  # as the night's control log hashes it
        "tools": tool_versions(),
        "schema": schema,
    }


def generate_dbt_docs(settings: Settings, as_of: date) -> Path:
    """`dbt docs generate --static` on the build; the page lands in `<data>/docs/dbt/`.

    Only when the project, dbt or the warehouse's schema changed since the page was made
    (`dbt_docs_made_from`), or when a file of it is missing: otherwise the page is already
    the one this night would write, and a dbt invocation (about 1.5 s of CPU) is saved.
    """
    from backoffice.dbt_runner import run_dbt, target_dir
    from backoffice.night.unchanged import read_stamp, write_stamp

    out = dbt_docs_dir(settings)
    made_from = dbt_docs_made_from(settings)
    stamp = read_stamp(dbt_docs_stamp(settings)) or {}
    complete = all((out / name).is_file() for _, name in _DOCS_FILES)
    if complete and {key: stamp.get(key) for key in made_from} == made_from:
        log.info("dbt docs unchanged since %s: not regenerated", stamp.get("generated_on"))
        return out / "index.html"
    run_dbt(settings, "docs", "generate", "--static", "--no-compile", as_of=as_of)
    target = target_dir(settings)
    out.mkdir(parents=True, exist_ok=True)
    for name, dest in _DOCS_FILES:
        if (target / name).is_file():
            tmp = out / (dest + ".tmp")
            shutil.copyfile(target / name, tmp)
            tmp.replace(out / dest)
    write_stamp(dbt_docs_stamp(settings), {**made_from, "generated_on": as_of.isoformat()})
    return out / "index.html"


_DOCS_FILES = (
    ("static_index.html", "index.html"),
    ("manifest.json", "manifest.json"),
    ("catalog.json", "catalog.json"),
)


def undocumented(manifest: dict) -> list[str]:
    """Every model, and every column of a model's table, without a description."""
    missing: list[str] = []
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model":
            continue
        name = node.get("name")
        if not (node.get("description") or "").strip():
            missing.append(f"model {name}")
        for column in (node.get("columns") or {}).values():
            if not (column.get("description") or "").strip():
                missing.append(f"column {name}.{column.get('name')}")
    return missing
