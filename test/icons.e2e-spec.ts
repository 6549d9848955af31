import request from 'supertest';
import { jsonFixture } from './support/payloads';
import { Stack, startStack, TENANT_A, TENANT_B } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;
const ICONS = '/cam/composer/api/v1/icons';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>');

describe('service icons (multipart upload, list, download, delete)', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  const upload = (file: Buffer, filename: string, contentType: string, auth = A, field = 'icon') =>
    http.post(`${ICONS}/upload?tenantId=${TENANT_A.tenant}&ace_orgGuid=all`).set('Authorization', auth).attach(field, file, { filename, contentType });
  /** A download's bytes (an SVG comes as application/xml, which supertest would not keep as a Buffer). */
  const download = (path: string, auth: string) =>
    http.get(path).set('Authorization', auth).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
  const iconCount = async () => Number((await stack.db.query('SELECT count(*)::int AS n FROM icon')).rows[0].n);

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
  });
  afterAll(() => stack?.close());

  it("uploads icons and answers like the seed, lists them with the seed's fields, downloads them by name and by id, deletes them", async () => {
    const svg = await upload(SVG, 'serviceicon_1.svg', 'application/xml').expect(200);
    expect(Object.keys(svg.body.res)).toEqual(Object.keys(jsonFixture<{ res: object }>('cam/icon_upload.response.json').res));
    expect(svg.body.res.name).toBe('serviceicon_1.svg');
    const png = await upload(PNG, 'firewall.png', 'image/png').expect(200);

    const list = await http.get(ICONS).set('Authorization', A).expect(200);
    expect(Object.keys(list.body[0])).toEqual(expect.arrayContaining(Object.keys(jsonFixture<object[]>('cam/icons_list.response.json')[0])));
    // the built-in icons first (the tenant's serviceicon_1.svg replaces the built-in one), then the tenant's
    expect(list.body.map((i: { name: string; ContentTye: string }) => [i.name, i.ContentTye])).toEqual([
      ['serviceicon_2.svg', 'application/xml'],
      ['serviceicon_3.svg', 'application/xml'],
      ['serviceicon_1.svg', 'application/xml'],
      ['firewall.png', 'image/png'],
    ]);
    // a page across the two: built-ins, then the tenant's; newest first, the other way round
    const names = async (q: string) => (await http.get(`${ICONS}?${q}`).set('Authorization', A).expect(200)).body.map((i: { name: string }) => i.name);
    await expect(names('filter[limit]=2&filter[skip]=1')).resolves.toEqual(['serviceicon_3.svg', 'serviceicon_1.svg']);
    await expect(names('filter[order]=creationTime DESC&filter[limit]=3')).resolves.toEqual(['firewall.png', 'serviceicon_1.svg', 'serviceicon_3.svg']);
    await expect(names('filter[order]=creationTime DESC&filter[skip]=3')).resolves.toEqual(['serviceicon_2.svg']);
    const byName = await http.get(`${ICONS}/?filter[where][name]=serviceicon_1.svg`).set('Authorization', A).expect(200);
    expect(byName.body.map((i: { id: string }) => i.id)).toEqual([svg.body.res.id]);
    expect((await http.get(`${ICONS}?filter[where][ContentType]=image/png`).set('Authorization', A).expect(200)).body).toHaveLength(1);
    expect((await http.get(`${ICONS}?filter[where][id]=${png.body.res.id}`).set('Authorization', A).expect(200)).body).toHaveLength(1);
    expect((await http.get(`${ICONS}?filter[where][id]=not-an-id`).set('Authorization', A).expect(200)).body).toEqual([]);

    const dl = await download(`${ICONS}/name/serviceicon_1.svg`, A);
    expect(dl.headers['content-type']).toMatch(/^application\/xml/);
    expect(Buffer.compare(dl.body as Buffer, SVG)).toBe(0);
    const dlPng = await http.get(`${ICONS}/${png.body.res.id}/download`).set('Authorization', A).expect(200);
    expect(dlPng.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(dlPng.body as Buffer, PNG)).toBe(0);

    // another tenant sees none of it: the built-in icons only, serviceicon_1.svg the built-in one
    const theirs = (await http.get(ICONS).set('Authorization', B).expect(200)).body;
    expect(theirs.map((i: { name: string }) => i.name)).toEqual(['serviceicon_1.svg', 'serviceicon_2.svg', 'serviceicon_3.svg']);
    expect(theirs[0].id).not.toBe(svg.body.res.id);
    const builtin = await download(`${ICONS}/name/serviceicon_1.svg`, B);
    expect(builtin.headers['content-type']).toMatch(/^application\/xml/);
    expect(String(builtin.body)).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(String(builtin.body)).not.toMatch(/<script|on\w+=/i);
    await http.get(`${ICONS}/${theirs[1].id}/download`).set('Authorization', B).expect(200);
    // a built-in stays
    const kept = await http.delete(`${ICONS}/${theirs[0].id}`).set('Authorization', B).expect(409);
    expect(kept.body.error.message).toBe('serviceicon_1.svg is a built-in icon: it cannot be deleted (upload an icon of that name to replace it for this tenant)');
    await http.get(`${ICONS}/name/serviceicon_9.svg`).set('Authorization', B).expect(404);
    await http.delete(`${ICONS}/${png.body.res.id}`).set('Authorization', B).expect(404);

    await http.delete(`${ICONS}/${png.body.res.id}`).set('Authorization', A).expect(200);
    await http.get(`${ICONS}/${png.body.res.id}/download`).set('Authorization', A).expect(404);
    await http.delete(`${ICONS}/${png.body.res.id}`).set('Authorization', A).expect(404);
  });

  it.each([
    ['a file of 1 MB or more', () => upload(Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]), 'big.png', 'image/png'), 'the icon must be less than 1 MB'],
    ['a content type the seed does not allow', () => upload(SVG, 'x.svg', 'image/svg+xml'), "content type 'image/svg+xml' is not allowed"],
    ['content that is not what it claims', () => upload(Buffer.from('not a png'), 'fake.png', 'image/png'), "the file's content is not image/png"],
    ['the file in another field', () => upload(PNG, 'x.png', 'image/png', A, 'image'), "upload one file, in the field 'icon'"],
    ['no multipart body', () => http.post(`${ICONS}/upload`).set('Authorization', A).send({ icon: 'x' }), 'send the icon as multipart/form-data'],
    ['an empty multipart body', () => http.post(`${ICONS}/upload`).set('Authorization', A).field('note', 'x'), "no file: send it in the multipart field 'icon'"],
  ])('refuses %s with a 400 naming the rule, storing nothing', async (_what, send, message) => {
    const before = await iconCount();
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
    expect(await iconCount()).toBe(before);
  });

  it('is a 409 for a name another icon has, storing nothing', async () => {
    await upload(SVG, 'taken.svg', 'application/xml').expect(200);
    const before = await iconCount();
    expect((await upload(SVG, 'taken.svg', 'application/xml').expect(409)).body.error.message).toContain("an icon named 'taken.svg' exists already");
    expect(await iconCount()).toBe(before);
  });

  it('keeps a UTF-8 file name and serves the icon under it', async () => {
    const id = (await upload(PNG, 'pare-feu-✓.png', 'image/png').expect(200)).body.res.id;
    expect((await http.get(`${ICONS}?filter[where][id]=${id}`).set('Authorization', A)).body[0].name).toBe('pare-feu-✓.png');
    const res = await http.get(`${ICONS}/${id}/download`).set('Authorization', A).expect(200);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''pare-feu-%E2%9C%93.png");
    await http.get(`${ICONS}/name/${encodeURIComponent('pare-feu-✓.png')}`).set('Authorization', A).expect(200);
  });

  it('is a 400 for a filter it does not take', async () => {
    expect((await http.get(`${ICONS}?filter[where][size]=1`).set('Authorization', A).expect(400)).body.error.message).toContain("cannot be filtered by 'size'");
  });
});
