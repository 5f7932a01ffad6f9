import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHome } from '../src/home.js';

test('renders the requested path', () => {
  assert.match(renderHome('/cart'), /\/cart/);
});
