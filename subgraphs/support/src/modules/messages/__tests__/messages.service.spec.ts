import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSupportSubgraph, type TestTenant } from '../../conversations/__tests__/support-harness.js';

const LIMIT = 64 * 1024;
const { db, data, failure, tenant, customer, portalCustomer, createConversation, send, eventsOf, attachmentsDirectory } =
  useSupportSubgraph({
    attachmentLimits: { maxBytes: LIMIT, maxPerMessage: 3 },
  });

const MESSAGE_FIELDS = `id conversationId channel direction senderType senderId sender { id } content contentType isInternal status deletedAt createdAt
  attachments { id filename contentType size sha256 url base64Content }`;
const GET = `query ($id: ID!) { message(id: $id) { ${MESSAGE_FIELDS} conversation { id messageCount } } }`;
const LIST = `query ($conversationId: ID!, $limit: Int, $before: ID, $after: ID, $channel: [Channel!], $direction: [Direction!]) {
  messages(conversationId: $conversationId, limit: $limit, before: $before, after: $after, channel: $channel, direction: $direction) {
    totalCount
    nodes { id content channel direction }
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
const SEND = `mutation ($conversationId: ID!, $input: SendMessageInput!) { sendMessage(conversationId: $conversationId, input: $input) { ${MESSAGE_FIELDS} } }`;
const DELETE = `mutation ($id: ID!) { deleteMessage(id: $id) { ${MESSAGE_FIELDS} } }`;

interface ListPage {
  totalCount: number;
  nodes: { id: string; content: string; channel: string; direction: string }[];
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('not really an image, but it starts like one'),
]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');

async function conversation(t: TestTenant, content = 'Hello', customerId?: string) {
  customerId ??= await customer(t);
  return createConversation(t, { customerId, channel: 'WEB_CHAT', initialMessage: { content } });
}

async function messageRows(conversationId: string) {
  return db().withSchema('support').from('messages').where({ conversation_id: conversationId }).orderBy('created_at');
}

function storedFiles(tenantId: string): string[] {
  const directory = join(attachmentsDirectory, tenantId);
  return existsSync(directory) ? readdirSync(directory) : [];
}

describe('messages list', () => {
  let t: TestTenant;
  let conversationId: string;
  /** Ids oldest first: m0 (inbound web chat), m1..m6 alternating. */
  const m: string[] = [];

  beforeAll(async () => {
    t = await tenant();
    const created = await conversation(t, 'm0', await portalCustomer(t));
    conversationId = created.id;
    const first = (await data(LIST, { conversationId }, t.agent)).messages as ListPage;
    m.push(first.nodes[0]!.id);
    for (let index = 1; index <= 6; index += 1) {
      const sent =
        index % 2 === 1
          ? await send(t.agent, conversationId, { content: `m${index}`, channel: index === 5 ? 'EMAIL' : undefined })
          : await send(t.portal, conversationId, { content: `m${index}`, channel: 'WEB_CHAT' });
      m.push(sent.id);
    }
  });

  async function page(variables: Record<string, unknown>): Promise<ListPage> {
    return (await data(LIST, { conversationId, ...variables }, t.agent)).messages as ListPage;
  }
  const contents = (listed: ListPage) => listed.nodes.map((node) => node.content);

  it('lists oldest first, the message ids serving as cursors', async () => {
    const all = await page({});
    expect(contents(all)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(all.edges.map((edge) => edge.cursor)).toEqual(m);
    expect(all.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: m[0], endCursor: m[6] });
    const firstTwo = await page({ limit: 2 });
    expect(contents(firstTwo)).toEqual(['m0', 'm1']);
    expect(firstTwo.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(firstTwo.totalCount).toBe(7);
  });

  it('pages forwards after a message and backwards before one', async () => {
    const after = await page({ after: m[1], limit: 3 });
    expect(contents(after)).toEqual(['m2', 'm3', 'm4']);
    expect(after.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true, endCursor: m[4] });
    const last = await page({ after: after.pageInfo.endCursor, limit: 3 });
    expect(contents(last)).toEqual(['m5', 'm6']);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const before = await page({ before: m[5], limit: 2 });
    expect(contents(before)).toEqual(['m3', 'm4']);
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true, startCursor: m[3] });
    const earliest = await page({ before: before.pageInfo.startCursor, limit: 5 });
    expect(contents(earliest)).toEqual(['m0', 'm1', 'm2']);
    expect(earliest.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    expect(contents(await page({ after: m[1], before: m[4] }))).toEqual(['m2', 'm3']);
  });

  it('filters by channel and direction', async () => {
    expect(contents(await page({ direction: ['INBOUND'] }))).toEqual(['m0', 'm2', 'm4', 'm6']);
    expect(contents(await page({ direction: ['OUTBOUND'], channel: ['WEB_CHAT'] }))).toEqual(['m1', 'm3']);
    const email = await page({ channel: ['EMAIL'] });
    expect(contents(email)).toEqual(['m5']);
    expect(email.totalCount).toBe(1);
    const inboundAfter = await page({ direction: ['INBOUND'], after: m[2], limit: 1 });
    expect(contents(inboundAfter)).toEqual(['m4']);
    expect(inboundAfter.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('serves Conversation.messages and lastMessage from the same data', async () => {
    const { conversation: found } = await data(
      `query ($id: ID!, $after: String) { conversation(id: $id) {
        messageCount lastMessage { content }
        messages(first: 2, after: $after, direction: [OUTBOUND]) { totalCount nodes { content } pageInfo { hasNextPage hasPreviousPage endCursor } }
      } }`,
      { id: conversationId, after: m[1] },
      t.agent,
    );
    expect(found).toMatchObject({
      messageCount: 7,
      lastMessage: { content: 'm6' },
      messages: { totalCount: 3, nodes: [{ content: 'm3' }, { content: 'm5' }], pageInfo: { hasNextPage: false, hasPreviousPage: true } },
    });
  });

  it('refuses cursors that are not messages of the conversation and bad limits', async () => {
    const other = await conversation(t);
    const [foreign] = (await page({})).nodes;
    expect((await failure(LIST, { conversationId: other.id, after: foreign!.id }, t.agent)).details).toEqual([
      { field: 'after', message: 'is not a message of this conversation' },
    ]);
    expect((await failure(LIST, { conversationId, before: randomUUID() }, t.agent)).code).toBe('VALIDATION_ERROR');
    expect((await failure(LIST, { conversationId, before: 'x' }, t.agent)).code).toBe('VALIDATION_ERROR');
    expect((await failure(LIST, { conversationId, limit: 0 }, t.agent)).code).toBe('VALIDATION_ERROR');
    expect((await failure(LIST, { conversationId: randomUUID() }, t.agent)).code).toBe('NOT_FOUND');
  });
});

describe('sendMessage', () => {
  it('sanitises HTML: no scripts, event handlers or javascript: links, formatting kept', async () => {
    const t = await tenant();
    const { id } = await conversation(t);
    const sent = await send(t.agent, id, {
      contentType: 'HTML',
      content:
        '<p onclick="steal()">Hi <strong>there</strong></p><script>alert(document.cookie)</script><img src=x onerror="alert(1)">' +
        '<a href="javascript:alert(1)">click</a> <a href="https://example.com/help">help</a><style>p{}</style><iframe src="https://evil"></iframe>',
    });
    expect(sent.contentType).toBe('HTML');
    expect(sent.content).toBe(
      '<p>Hi <strong>there</strong></p><a rel="noopener noreferrer nofollow" target="_blank">click</a> <a href="https://example.com/help" rel="noopener noreferrer nofollow" target="_blank">help</a>',
    );
    expect(sent.content).not.toMatch(/script|onerror|onclick|javascript|style|iframe/);
    const stored = (await messageRows(id)).at(-1);
    expect(stored.content).toBe(sent.content);
    expect(sent.status).toBe('QUEUED');

    const onlyScript = await failure(
      SEND,
      { conversationId: id, input: { contentType: 'HTML', content: '<script>x()</script>' } },
      t.agent,
    );
    expect(onlyScript.details).toEqual([{ field: 'content', message: 'is empty once unsafe HTML is removed' }]);
    // Text is stored as written: it is never rendered as HTML.
    expect((await send(t.agent, id, { content: '<b>literal</b>' })).content).toBe('<b>literal</b>');
  });

  it('checks content length', async () => {
    const t = await tenant();
    const { id } = await conversation(t);
    expect((await failure(SEND, { conversationId: id, input: { content: '' } }, t.agent)).code).toBe('VALIDATION_ERROR');
    expect((await failure(SEND, { conversationId: id, input: { content: 'x'.repeat(100_001) } }, t.agent)).code).toBe('VALIDATION_ERROR');
    expect((await send(t.agent, id, { content: 'x'.repeat(100_000) })).content).toHaveLength(100_000);
  });

  it('stores attachments on disk by tenant and hash and answers them back', async () => {
    const t = await tenant();
    const { id } = await conversation(t);
    const { sendMessage: sent } = await data(
      SEND,
      {
        conversationId: id,
        input: {
          content: 'See attached',
          attachments: [
            { filename: '../../etc/screenshot.PNG', base64Content: PNG.toString('base64') },
            { filename: 'invoice.pdf', contentType: 'application/pdf; charset=binary', base64Content: PDF.toString('base64') },
            { filename: 'notes.txt', base64Content: Buffer.from('line one\nline two').toString('base64') },
          ],
        },
      },
      t.agent,
    );
    const sha = (content: Buffer) => createHash('sha256').update(content).digest('hex');
    expect(sent.attachments.map(({ id: _id, url: _url, ...rest }: Record<string, unknown>) => rest)).toEqual([
      { filename: 'screenshot.PNG', contentType: 'image/png', size: PNG.length, sha256: sha(PNG), base64Content: PNG.toString('base64') },
      {
        filename: 'invoice.pdf',
        contentType: 'application/pdf',
        size: PDF.length,
        sha256: sha(PDF),
        base64Content: PDF.toString('base64'),
      },
      {
        filename: 'notes.txt',
        contentType: 'text/plain',
        size: 17,
        sha256: sha(Buffer.from('line one\nline two')),
        base64Content: Buffer.from('line one\nline two').toString('base64'),
      },
    ]);
    expect(sent.attachments[0].url).toBe(`/v1/attachments/${sent.attachments[0].id}`);
    expect(readFileSync(join(attachmentsDirectory, t.tenantId, sha(PNG)))).toEqual(PNG);
    expect(storedFiles(t.tenantId).sort()).toEqual([sha(PNG), sha(PDF), sha(Buffer.from('line one\nline two'))].sort());

    const { message } = await data(GET, { id: sent.id }, t.agent);
    expect(message.attachments.map((attachment: { base64Content: string }) => attachment.base64Content)).toEqual(
      sent.attachments.map((attachment: { base64Content: string }) => attachment.base64Content),
    );
  });

  it('refuses oversized, disallowed, mismatched and malformed files, naming each, and writes nothing', async () => {
    const t = await tenant();
    const { id } = await conversation(t);
    const rowsBefore = await messageRows(id);
    const events = (await eventsOf(t.tenantId)).length;
    const error = await failure(
      SEND,
      {
        conversationId: id,
        input: {
          content: 'files',
          attachments: [
            { filename: 'huge.pdf', base64Content: Buffer.concat([PDF, Buffer.alloc(LIMIT)]).toString('base64') },
            { filename: 'fine.txt', base64Content: Buffer.from('ok').toString('base64') },
            { filename: 'run.exe', contentType: 'application/x-msdownload', base64Content: Buffer.from('MZ').toString('base64') },
          ],
        },
      },
      t.agent,
    );
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.details).toEqual([
      { field: 'attachments.0', message: 'huge.pdf is 65 KB; the limit is 64 KB' },
      { field: 'attachments.2', message: 'files of type application/x-msdownload are not accepted' },
    ]);

    for (const attachment of [
      { filename: 'bad.txt', base64Content: 'not base64!' },
      { filename: 'fake.png', base64Content: PDF.toString('base64') },
      { filename: 'photo.png', contentType: 'application/pdf', base64Content: PDF.toString('base64') },
      { filename: 'run.exe', base64Content: Buffer.from('MZ').toString('base64') },
      { filename: 'script.svg', base64Content: Buffer.from('<svg onload="x()"/>').toString('base64') },
      { filename: 'README', base64Content: Buffer.from('hi').toString('base64') },
      { filename: 'empty.txt', base64Content: '' },
    ]) {
      const refused = await failure(SEND, { conversationId: id, input: { content: 'x', attachments: [attachment] } }, t.agent);
      expect(refused.details?.[0]?.field).toBe('attachments.0');
    }
    const tooMany = await failure(
      SEND,
      {
        conversationId: id,
        input: { content: 'x', attachments: Array.from({ length: 4 }, (_, n) => ({ filename: `${n}.txt`, base64Content: 'aGk=' })) },
      },
      t.agent,
    );
    expect(tooMany.details).toEqual([{ field: 'attachments', message: 'at most 3 files per message' }]);
    expect(await messageRows(id)).toEqual(rowsBefore);
    expect(await db().withSchema('support').from('message_attachments').where({ tenant_id: t.tenantId })).toEqual([]);
    expect(storedFiles(t.tenantId)).toEqual([]);
    expect((await eventsOf(t.tenantId)).length).toBe(events);
  });

  it('removes the files it stored when the message cannot be written', async () => {
    const t = await tenant();
    const { id } = await conversation(t);
    await data(`mutation ($id: ID!) { updateConversation(id: $id, input: { state: CLOSED }) { id } }`, { id }, t.agent);
    const error = await failure(
      SEND,
      { conversationId: id, input: { content: 'late', attachments: [{ filename: 'a.pdf', base64Content: PDF.toString('base64') }] } },
      t.agent,
    );
    expect(error.code).toBe('CONFLICT');
    expect(storedFiles(t.tenantId)).toEqual([]);
  });
});

describe('deleteMessage', () => {
  it('erases content and attachments, keeps who and when, counts one message less, and is idempotent', async () => {
    const t = await tenant();
    const { id } = await conversation(t);
    const keep = await send(t.agent, id, {
      content: 'same file',
      attachments: [{ filename: 'a.pdf', base64Content: PDF.toString('base64') }],
    });
    const doomed = await send(t.agent, id, {
      content: 'secret',
      attachments: [
        { filename: 'b.pdf', base64Content: PDF.toString('base64') },
        { filename: 'c.png', base64Content: PNG.toString('base64') },
      ],
    });
    expect(storedFiles(t.tenantId)).toHaveLength(2);

    const deleted = (await data(DELETE, { id: doomed.id }, t.admin)).deleteMessage;
    expect(deleted).toMatchObject({ id: doomed.id, content: null, attachments: [] });
    expect(deleted.deletedAt).not.toBeNull();
    const again = (await data(DELETE, { id: doomed.id }, t.agent)).deleteMessage;
    expect(again.deletedAt).toBe(deleted.deletedAt);

    const { message } = await data(GET, { id: doomed.id }, t.agent);
    expect(message).toMatchObject({ content: null, attachments: [], conversation: { id, messageCount: 2 } });
    const row = await db().withSchema('support').from('messages').where({ id: doomed.id }).first();
    expect(row).toMatchObject({ content: '', ai_annotations: null, deleted_by: expect.stringMatching(/^user:/) });
    expect(await db().withSchema('support').from('message_attachments').where({ message_id: doomed.id })).toEqual([]);
    // The PDF is still used by the other message; the PNG is gone.
    const sha = (content: Buffer) => createHash('sha256').update(content).digest('hex');
    expect(storedFiles(t.tenantId)).toEqual([sha(PDF)]);
    expect((await data(GET, { id: keep.id }, t.agent)).message.attachments[0].base64Content).toBe(PDF.toString('base64'));

    const { conversation: found } = await data(
      `query ($id: ID!) { conversation(id: $id) { messageCount lastMessage { id } messages { totalCount nodes { id } } history { type actorKind data } } }`,
      { id },
      t.agent,
    );
    expect(found.messageCount).toBe(2);
    expect(found.lastMessage.id).toBe(keep.id);
    expect(found.messages.nodes.map((node: { id: string }) => node.id)).not.toContain(doomed.id);
    expect(found.history.filter((entry: { type: string }) => entry.type === 'MESSAGE_DELETED')).toEqual([
      { type: 'MESSAGE_DELETED', actorKind: 'user', data: { messageId: doomed.id, attachments: 2 } },
    ]);
    expect((await eventsOf(t.tenantId, 'message.deleted')).map((event) => event.payload.messageId)).toEqual([doomed.id]);
    expect((await failure(DELETE, { id: doomed.id }, t.portal)).code).toBe('FORBIDDEN');
  });
});

describe('messages across tenants', () => {
  it('answer null or NOT_FOUND for another tenant’s messages and conversations', async () => {
    const t = await tenant();
    const other = await tenant();
    const theirs = await conversation(other, 'private');
    const [theirMessage] = (await data(LIST, { conversationId: theirs.id }, other.agent)).messages.nodes;
    expect((await data(GET, { id: theirMessage.id }, t.agent)).message).toBeNull();
    expect((await data(GET, { id: 'nope' }, t.agent)).message).toBeNull();
    expect((await failure(LIST, { conversationId: theirs.id }, t.agent)).code).toBe('NOT_FOUND');
    expect((await failure(SEND, { conversationId: theirs.id, input: { content: 'hi' } }, t.agent)).code).toBe('NOT_FOUND');
    expect((await failure(SEND, { conversationId: theirs.id, input: { content: 'hi' } }, t.portal)).code).toBe('NOT_FOUND');
    expect((await failure(DELETE, { id: theirMessage.id }, t.agent)).code).toBe('NOT_FOUND');
    expect((await data(GET, { id: theirMessage.id }, other.agent)).message.content).toBe('private');
  });

  it('resolve Message references through _entities within the caller’s tenant only', async () => {
    const t = await tenant();
    const other = await tenant();
    const mine = await conversation(t, 'mine');
    const theirs = await conversation(other, 'theirs');
    const [myMessage] = (await data(LIST, { conversationId: mine.id }, t.agent)).messages.nodes;
    const [theirMessage] = (await data(LIST, { conversationId: theirs.id }, other.agent)).messages.nodes;
    const { _entities } = await data(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Message { id content conversationId sender { id } } } }`,
      {
        representations: [
          { __typename: 'Message', id: myMessage.id },
          { __typename: 'Message', id: theirMessage.id },
        ],
      },
      t.agent,
    );
    expect(_entities).toEqual([{ id: myMessage.id, content: 'mine', conversationId: mine.id, sender: null }, null]);
  });
});
