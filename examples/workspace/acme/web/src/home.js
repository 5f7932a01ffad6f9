export function renderHome(path) {
  return `<h1>acme storefront</h1><p>You asked for ${encodeURI(path)}</p>`;
}
