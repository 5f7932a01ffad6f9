/**
 * One self-contained HTML page: inline CSS and script, no request to anywhere (a Content
 * Security Policy forbids every fetch, image, font and form target), rows sortable by any
 * column and filtered by text, by "not enforced" and by "drift". Every value is escaped for
 * HTML text or attribute context: a project controls its ci_config_path and could otherwise
 * put markup or script in the page a security lead opens.
 */
import type { Column } from './columns.js';
import type { RowFormat } from './row-format.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function htmlFormat<R>(columns: readonly Column<R>[], title: string): RowFormat<R> {
  const headers = columns.map((column, index) => `<th data-column="${index}" tabindex="0">${escapeHtml(column.header)}</th>`).join('');
  return {
    start: `${HEAD.replaceAll('TITLE', () => escapeHtml(title))}<thead><tr>${headers}</tr></thead>\n<tbody>\n`,
    row(row) {
      const cells = columns.map((column) => column.cell(row));
      const tones = new Set(cells.map((cell) => cell.tone));
      const classes = [tones.has('bad') ? 'bad' : '', tones.has('warn') ? 'warn' : ''].filter((name) => name !== '').join(' ');
      return `<tr class="${classes}">${cells.map((cell) => `<td class="${cell.tone}">${escapeHtml(cell.text)}</td>`).join('')}</tr>\n`;
    },
    end: (rows) => `</tbody></table>\n<p id="count" data-total="${rows}"></p>\n<script>${SCRIPT}</script>\n</body></html>\n`,
  };
}

const HEAD = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'">
<meta name="referrer" content="no-referrer">
<title>TITLE</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5rem;color:#1f2328}
h1{font-size:1.3rem}
#controls{display:flex;gap:1rem;align-items:center;margin:.5rem 0 1rem}
#filter{padding:.3rem;width:22rem}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;word-break:break-word}
th{cursor:pointer;background:#f6f8fa;position:sticky;top:0;user-select:none}
th[aria-sort=ascending]::after{content:" \\25B2"}
th[aria-sort=descending]::after{content:" \\25BC"}
td.good{color:#1a7f37;font-weight:600}
td.bad{color:#cf222e;font-weight:600}
td.warn{color:#9a6700}
tr.bad td:first-child{border-left:4px solid #cf222e}
tr.warn:not(.bad) td:first-child{border-left:4px solid #d4a72c}
</style></head><body>
<h1>TITLE</h1>
<div id="controls"><input id="filter" type="search" placeholder="Filter rows by any text">
<label><input id="only-bad" type="checkbox"> only rows with a problem</label></div>
<table id="rows">
`;

// Plain DOM script, no library: the page must work offline and from a file:// URL.
const SCRIPT = `
(function(){
var table=document.getElementById('rows'),body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
var filter=document.getElementById('filter'),onlyBad=document.getElementById('only-bad'),count=document.getElementById('count');
function apply(){var q=filter.value.toLowerCase(),shown=0;rows.forEach(function(r){
var ok=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&(!onlyBad.checked||r.classList.contains('bad'));
r.hidden=!ok;if(ok)shown++;});count.textContent=shown+' of '+count.getAttribute('data-total')+' projects shown';}
filter.addEventListener('input',apply);onlyBad.addEventListener('change',apply);
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th){function sort(){
var i=Number(th.getAttribute('data-column')),dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(o){o.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',dir===1?'ascending':'descending');
rows.sort(function(a,b){return dir*a.cells[i].textContent.localeCompare(b.cells[i].textContent,undefined,{numeric:true});});
rows.forEach(function(r){body.appendChild(r);});}
th.addEventListener('click',sort);th.addEventListener('keydown',function(e){if(e.key==='Enter')sort();});});
apply();})();
`;
