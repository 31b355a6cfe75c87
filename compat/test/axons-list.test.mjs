// axons.list: cursor pagination (page objects and async iteration) and every filter.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { uniqueTag } from '../lib/events.mjs';
import { startServer } from '../lib/server.mjs';

// The server may be shared with other test files: every name and metadata value is tagged.
const t = uniqueTag();

let server;
let client;
/** Axons created for this file, in creation order. */
const pages = [];
const colored = {};

before(async () => {
  server = await startServer();
  client = server.client();
  for (let i = 0; i < 7; i++) pages.push(await client.axons.create({ name: `${t}-page-${i}` }));
  colored.red = await client.axons.create({ name: `${t}-color-red`, metadata: { team: `${t}-red`, tier: `${t}-gold` } });
  colored.blue = await client.axons.create({ name: `${t}-color-blue`, metadata: { team: `${t}-blue`, tier: `${t}-gold` } });
  colored.green = await client.axons.create({ name: `${t}-color-green`, metadata: { team: `${t}-green`, tier: `${t}-tin` } });
});
after(() => server?.stop());

const ids = (axons) => axons.map((a) => a.id);

describe('axons.list pagination', () => {
  test('for await walks every page in creation order', async () => {
    const seen = [];
    for await (const axon of client.axons.list({ name: `${t}-page-`, limit: 3 })) seen.push(axon.id);
    assert.deepEqual(seen, ids(pages));
  });

  test('page objects expose has_more and the next page', async () => {
    let page = await client.axons.list({ name: `${t}-page-`, limit: 3 });
    assert.deepEqual(ids(page.axons), ids(pages.slice(0, 3)));
    assert.equal(page.has_more, true);
    assert.equal(page.hasNextPage(), true);
    page = await page.getNextPage();
    assert.deepEqual(ids(page.axons), ids(pages.slice(3, 6)));
    page = await page.getNextPage();
    assert.deepEqual(ids(page.axons), ids(pages.slice(6)));
    assert.equal(page.has_more, false);
    assert.equal(page.hasNextPage(), false);
  });

  test('starting_after is an id cursor', async () => {
    const page = await client.axons.list({ name: `${t}-page-`, starting_after: pages[4].id });
    assert.deepEqual(ids(page.axons), ids(pages.slice(5)));
    assert.equal(page.has_more, false);
  });

  test('include_total_count reports the filtered total, not the page size', async () => {
    const page = await client.axons.list({ name: `${t}-page-`, limit: 2, include_total_count: true });
    assert.equal(page.axons.length, 2);
    assert.equal(page.total_count, 7);
  });

  test('default page size is 20', async () => {
    for (let i = 0; i < 14; i++) await client.axons.create({ name: `${t}-bulk-${String(i).padStart(2, '0')}` });
    const page = await client.axons.list();
    assert.equal(page.axons.length, 20);
    assert.equal(page.has_more, true);
  });

  test('a single page can hold up to 5000', async () => {
    const page = await client.axons.list({ limit: 5000 });
    assert.equal(page.has_more, false);
    assert.ok(page.axons.length >= 24);
  });
});

describe('axons.list filters', () => {
  test('name is a prefix match', async () => {
    assert.deepEqual(ids((await client.axons.list({ name: `${t}-color-` })).axons),
      [colored.red.id, colored.blue.id, colored.green.id]);
    assert.deepEqual(ids((await client.axons.list({ name: `${t}-color-b` })).axons), [colored.blue.id]);
    assert.deepEqual((await client.axons.list({ name: `${t}-no-such-prefix` })).axons, []);
  });

  test('id selects exactly one axon', async () => {
    const page = await client.axons.list({ id: colored.green.id });
    assert.deepEqual(ids(page.axons), [colored.green.id]);
    assert.deepEqual(page.axons[0], colored.green);
  });

  test('search matches an id or a name', async () => {
    assert.deepEqual(ids((await client.axons.list({ search: colored.blue.id })).axons), [colored.blue.id]);
    assert.deepEqual(ids((await client.axons.list({ search: `${t}-color-green` })).axons), [colored.green.id]);
  });

  test('metadata[key]=value filters on one key', async () => {
    const page = await client.axons.list({ 'metadata[team]': `${t}-red` });
    assert.deepEqual(ids(page.axons), [colored.red.id]);
  });

  test('several metadata keys combine with AND', async () => {
    const page = await client.axons.list({ 'metadata[tier]': `${t}-gold`, 'metadata[team]': `${t}-blue` });
    assert.deepEqual(ids(page.axons), [colored.blue.id]);
  });

  test('metadata[key][in]=a,b matches any listed value', async () => {
    const page = await client.axons.list({ 'metadata[team][in]': `${t}-red,${t}-green` });
    assert.deepEqual(ids(page.axons), [colored.red.id, colored.green.id]);
  });

  test('metadata filters match keys and values with spaces, dots and non-ASCII characters', async () => {
    const odd = await client.axons.create({ metadata: { 'owner team': `${t} équipe`, 'a.b': `${t}.x` } });
    assert.deepEqual(ids((await client.axons.list({ 'metadata[owner team]': `${t} équipe` })).axons), [odd.id]);
    assert.deepEqual(ids((await client.axons.list({ 'metadata[a.b]': `${t}.x` })).axons), [odd.id]);
  });

  test('filters compose with pagination', async () => {
    const seen = [];
    for await (const axon of client.axons.list({ 'metadata[tier]': `${t}-gold`, limit: 1 })) seen.push(axon.id);
    assert.deepEqual(seen, [colored.red.id, colored.blue.id]);
  });
});
