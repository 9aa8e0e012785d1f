import { performance } from 'node:perf_hooks';
import pg from 'pg';

/**
 * A large support dataset for one tenant, generated inside PostgreSQL (INSERT … SELECT over
 * generate_series): customers with identities, organizations, conversations with history and
 * messages. Everything derives from the series number, so the same sizes always give the
 * same names, states, severities and texts (ids and timestamps relative to now differ).
 */

export const CONVERSATIONS_PER_CUSTOMER = 2;
export const MESSAGES_PER_CONVERSATION = 5;
/** The second tenant's customers: enough rows to show up in every index the queries use. */
export const OTHER_TENANT_CUSTOMERS = 1000;
const CUSTOMERS_PER_ORGANIZATION = 100;

// prettier-ignore
const FIRST_NAMES = [
  'Amara', 'Liam', 'Sofia', 'Noah', 'Aisha', 'Mateo', 'Yuki', 'Elena', 'Omar', 'Chloe',
  'Ravi', 'Ingrid', 'Kwame', 'Lucia', 'Hiroshi', 'Fatima', 'Oliver', 'Priya', 'Diego', 'Hannah',
  'Tariq', 'Mei', 'Lukas', 'Zainab', 'Ethan', 'Anya', 'Carlos', 'Freya', 'Jamal', 'Isla',
  'Arjun', 'Leila', 'Mikhail', 'Grace', 'Tomas', 'Nadia', 'Samuel', 'Aiko', 'Pedro', 'Emma',
  'Kofi', 'Chiara', 'Daniel', 'Sana', 'Felix', 'Lina', 'Gabriel', 'Mariam', 'Jonas', 'Rosa',
  'Vikram', 'Olga', 'Hugo', 'Ayesha', 'Marco', 'Julia', 'Kenji', 'Esther', 'Luis', 'Nora',
  'Rahul', 'Ines', 'Adam', 'Maya', 'Ibrahim', 'Clara', 'Javier', 'Leah', 'Andrei', 'Zoe',
  'Musa', 'Alice', 'Rafael', 'Yara', 'Erik', 'Sara', 'Kai', 'Beatriz', 'Tendai', 'Ruth',
  'Ahmed', 'Elif', 'Bruno', 'Ava', 'Nikhil', 'Mila', 'Oscar', 'Dina', 'Pablo', 'Ivy',
  'Hamza', 'Laura', 'Emil', 'Sienna', 'Chidi', 'Paula', 'Viktor', 'Amelia', 'Joon', 'Leona',
];

// prettier-ignore
const LAST_NAMES = [
  'Okafor', 'Nguyen', 'Garcia', 'Schmidt', 'Tanaka', 'Rossi', 'Kowalski', 'Haddad', 'Johansson', 'Patel',
  'Silva', 'Dubois', 'Mensah', 'Ivanov', 'Fernandes', 'Yamamoto', 'Novak', 'Hansen', 'Moreau', 'Alvarez',
  'Chen', 'Nakamura', 'Adeyemi', 'Kaur', 'Petrov', 'Lindqvist', 'Costa', 'Walsh', 'Becker', 'Sato',
  'Romano', 'Nowak', 'Bakker', 'Osei', 'Reyes', 'Sharma', 'Fischer', 'Lopez', 'Murphy', 'Zhang',
  'Eriksen', 'Bianchi', 'Kovacs', 'Mwangi', 'Santos', 'Horvat', 'Takahashi', 'Jansen', 'Gonzalez', 'Khan',
  'Okonkwo', 'Weber', 'Ricci', 'Yilmaz', 'Andersen', 'Moretti', 'Dimitrov', 'Castillo', 'Banerjee', 'Wagner',
  'Suzuki', 'Martins', 'Kariuki', 'Larsen', 'Esposito', 'Popescu', 'Vargas', 'Iyer', 'Hoffmann', 'Kato',
  'Ferreira', 'Ozturk', 'Nielsen', 'Marino', 'Novotny', 'Herrera', 'Reddy', 'Schulz', 'Almeida', 'Abubakar',
  'Virtanen', 'Greco', 'Szabo', 'Medina', 'Menon', 'Koch', 'Watanabe', 'Carvalho', 'Demir', 'Jimenez',
  'Pillai', 'Richter', 'Barbosa', 'Kaya', 'Lundgren', 'Conti', 'Horvath', 'Ortiz', 'Joshi', 'Gallagher',
];

const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example.com', 'inbox.example.net'];
/** US area codes of the generated phone numbers: 10,000 numbers each, `+1<area>555<4 digits>`. */
const AREA_CODES = ['415', '212', '312', '617', '206', '512', '303', '404', '305', '702'];

const ORGANIZATION_WORDS = [
  'Northwind',
  'Blue Harbor',
  'Summit',
  'Redwood',
  'Silverline',
  'Brightpath',
  'Ironbridge',
  'Lakeside',
  'Greenfield',
  'Starling',
];
const ORGANIZATION_KINDS = ['Logistics', 'Foods', 'Health', 'Software', 'Travel', 'Energy', 'Retail', 'Media', 'Finance', 'Studios'];
const INDUSTRIES = ['logistics', 'food', 'healthcare', 'software', 'travel', 'energy', 'retail', 'media', 'finance', 'entertainment'];

const SUBJECTS = [
  'Order has not arrived yet',
  'Charged twice for my subscription',
  'App keeps logging me out',
  'How do I change my email address?',
  'Refund request for a damaged item',
  'Error when uploading a file',
  'Question about upgrading my plan',
  'Invoice shows the wrong company name',
  'Cancel my subscription',
  'Export my data as CSV',
  'Password reset email never arrives',
  'Package arrived damaged',
  'Promo code is not accepted at checkout',
  'Two-factor codes are not delivered by SMS',
  'Wrong size delivered',
  'Cannot add a team member',
  'Delivery address needs to change',
  'Payment declined although the card is valid',
  'Missing items in my order',
  'Account locked after too many attempts',
];

const INBOUND_TEXTS = [
  "Hi, I still haven't received my order and the tracking page hasn't changed since Monday.",
  'I was charged twice for the same subscription this month. Can you refund one of the payments?',
  'The app keeps logging me out every few minutes on my phone.',
  'How do I change the email address on my account?',
  'Thanks, that fixed it!',
  "It's still not working after the update, same error as before.",
  'Can I upgrade my plan without losing my saved settings?',
  'The invoice shows the wrong company name, could you correct it?',
  "I'd like to cancel my subscription at the end of this billing period.",
  'Is there a way to export all my data as a CSV file?',
  'The password reset email never arrives, I checked the spam folder too.',
  'My package arrived damaged, the box was completely crushed.',
  'The promo code from your newsletter says it is invalid.',
  'I tried again this morning and got the same message.',
  'Great, thank you for the quick help.',
  'Could you tell me when the replacement will ship?',
];

const OUTBOUND_TEXTS = [
  "Thanks for reaching out! I'm looking into this now.",
  "I've issued the refund; it should appear on your statement within 5 to 7 business days.",
  'Could you send me a screenshot of the error message?',
  "I've reset your session. Please try signing in again.",
  'You can change it under Settings, Account, Email address.',
  "I've escalated this to our engineering team and will update you as soon as I hear back.",
  'Your plan has been upgraded and all your settings are kept.',
  "I've corrected the invoice and sent you a new copy.",
  'Done! Your subscription will end on the last day of this billing period.',
  'You can export everything from Settings, Data, Export as CSV.',
  'Glad to hear it! Is there anything else I can help with?',
  "We're sending a replacement today at no cost to you.",
  "I've applied the discount to your order manually.",
  'The courier confirmed the parcel is out for delivery today.',
  'Happy to help. Have a great day!',
  "I've added a note to your account so the next agent has the full context.",
];

/** The tables the seed fills, in the support schema. */
export const SEEDED_TABLES = [
  'organizations',
  'customers',
  'customer_identities',
  'conversations',
  'conversation_events',
  'messages',
] as const;
export type SeededTable = (typeof SEEDED_TABLES)[number];

export interface TenantSeed {
  tenantId: string;
  /** The agent half of the conversations is assigned to (an identity user of the tenant); null: none assigned. */
  agentId: string | null;
  customers: number;
}

export interface SeedTiming {
  step: string;
  seconds: number;
}

export interface SeedReport {
  /** Rows per table of the main tenant. */
  rows: Record<SeededTable, number>;
  /** Rows per table of every seeded tenant together. */
  totalRows: Record<SeededTable, number>;
  /** On-disk size of each table with its indexes, in bytes. */
  tableBytes: Record<SeededTable, number>;
  timings: SeedTiming[];
  seconds: number;
}

/** Texts that find a known share of the generated customers through `customers(filter: { search })`. */
export const SEARCHES = {
  /** One surname of the list: 1 % of the customers (1/100 of the list). */
  surname: 'Lindqvist',
  /** Digits of 100 phone numbers of the first area code, typed with spaces as people do. */
  phoneFragment: '415 555 01',
  /** The start of the email addresses of one first and last name pair (0.01 % of the customers). */
  emailPrefix: 'amara.okafor',
} as const;

const seconds = (since: number): number => (performance.now() - since) / 1000;

/**
 * Generates `seed.customers` customers for a tenant of a database the support subgraph has
 * migrated, with 2 conversations each and 5 messages per conversation, in one transaction.
 */
async function seedTenant(
  client: pg.Client,
  seed: TenantSeed,
  step: (name: string, sql: string, values: unknown[]) => Promise<number>,
): Promise<void> {
  const { tenantId, agentId, customers } = seed;
  const organizations = Math.max(1, Math.ceil(customers / CUSTOMERS_PER_ORGANIZATION));
  const conversations = customers * CONVERSATIONS_PER_CUSTOMER;

  await client.query('drop table if exists pg_temp.seed_organizations, pg_temp.seed_customers, pg_temp.seed_conversations');
  await step(
    'organizations',
    `create temp table seed_organizations on commit drop as
       select k, gen_random_uuid() as id,
              ($2::text[])[1 + k % 10] || ' ' || ($3::text[])[1 + (k / 10) % 10] || case when k >= 100 then ' ' || (k / 100 + 1) else '' end as name,
              ($4::text[])[1 + (k / 10) % 10] as industry,
              (array['1-10', '11-50', '51-200', '201-1000', '1000+'])[1 + k % 5] as size
       from generate_series(0, $1::int - 1) as k`,
    [organizations, ORGANIZATION_WORDS, ORGANIZATION_KINDS, INDUSTRIES],
  );
  await step(
    'organizations',
    `insert into support.organizations (id, tenant_id, name, industry, size, address, custom_fields, created_at, updated_at)
     select id, $1::uuid, name, industry, size, (100 + k) || ' Market Street, San Francisco, CA', '{}', now() - interval '500 days', now() - interval '500 days'
     from seed_organizations`,
    [tenantId],
  );

  // Customer i: first name i % 100, surname (i / 100 + 7 i) % 100. Each run of 100 customers has every first
  // name and every surname once, and each full name comes back every 10,000 customers.
  await step(
    'customers',
    `create temp table seed_customers on commit drop as
       select i, gen_random_uuid() as id, names.first, names.last,
              lower(names.first) || '.' || lower(names.last) || '.' || i || '@' || ($4::text[])[1 + i % cardinality($4::text[])] as email,
              case when i % 2 = 0 and i / 2 < cardinality($5::text[]) * 10000
                   then '+1' || ($5::text[])[1 + (i / 2) / 10000] || '555' || lpad(((i / 2) % 10000)::text, 4, '0') end as phone,
              now() - interval '400 days' + (interval '200 days' * i / $1::int) as created_at,
              case when i % 10 < 3 then (i * 7) % $6::int end as organization
       from generate_series(0, $1::int - 1) as i
       cross join lateral (select ($2::text[])[1 + i % cardinality($2::text[])] as first,
                                  ($3::text[])[1 + (i / cardinality($2::text[]) + 7 * i) % cardinality($3::text[])] as last) as names`,
    [customers, FIRST_NAMES, LAST_NAMES, EMAIL_DOMAINS, AREA_CODES, organizations],
  );
  await client.query('create index on seed_customers (i)');
  await client.query('analyze seed_customers');

  // Conversation n belongs to customer n / 2; its creation time is a permutation of n over
  // 180 days, so recent conversations are spread over all customers.
  await step(
    'conversations',
    `create temp table seed_conversations on commit drop as
       select n, gen_random_uuid() as id, c.id as customer_id, c.first,
              (array['new','new','new','new','new','bot','bot','bot','bot','bot']
                || array_fill('awaiting_agent'::text, array[15]) || array_fill('awaiting_customer'::text, array[15])
                || array_fill('escalated'::text, array[5]) || array_fill('resolved'::text, array[25])
                || array_fill('closed'::text, array[30]))[1 + n % 100] as state,
              (array['P0','P0'] || array_fill('P1'::text, array[10]) || array_fill('P2'::text, array[38]) || array_fill('P3'::text, array[50]))[1 + (n / 100) % 100] as severity,
              (array['email','email','email','email','email','email','web_chat','web_chat','web_chat','web_chat','web_chat',
                     'whatsapp','whatsapp','whatsapp','web_form','web_form','sms','facebook','twitter','voice'])[1 + (n / 7) % 20] as channel,
              case when (n / 3) % 2 = 0 then $2::uuid end as agent_id,
              ($3::text[])[1 + (n / 3) % cardinality($3::text[])] as subject,
              now() - interval '180 days' + interval '179 days' * (((n::bigint * 7919) % $1::int)::double precision / $1::int) as created_at,
              interval '1 minute' * (3 + n % 97) as gap
       from generate_series(0, $1::int - 1) as n
       join seed_customers c on c.i = n / ${CONVERSATIONS_PER_CUSTOMER}`,
    [conversations, agentId, SUBJECTS],
  );
  await client.query('analyze seed_conversations');

  await step(
    'customers',
    `insert into support.customers (id, tenant_id, name, company, status, tags, created_at, updated_at, organization_id, sla_tier, segments, risk_flags, custom_fields, last_contact_at)
     select c.id, $1::uuid, c.first || ' ' || c.last, o.name,
            case when c.i % 100 = 99 then 'blocked' when c.i % 25 = 3 then 'inactive' else 'active' end,
            array_remove(array[case when c.i % 20 = 0 then 'vip' end, case when c.i % 3 = 0 then 'newsletter' end, case when c.i % 50 = 7 then 'beta' end], null),
            c.created_at, c.created_at, o.id,
            case when c.i % 20 = 0 then 'enterprise' when c.i % 20 < 4 then 'premium' else 'standard' end,
            case when o.id is not null then array['business'] else array['consumer'] end
              || case when c.i % 7 = 0 then array['high_value'] else '{}'::text[] end,
            case when c.i % 100 = 99 then array['chargeback'] else '{}'::text[] end,
            '{}', last.at
     from seed_customers c
     left join seed_organizations o on o.k = c.organization
     left join (select customer_id, max(created_at + gap * ${MESSAGES_PER_CONVERSATION - 1}) as at from seed_conversations group by customer_id) last
       on last.customer_id = c.id`,
    [tenantId],
  );
  await step(
    'identities',
    `insert into support.customer_identities (id, tenant_id, customer_id, kind, network, value, is_primary, created_at)
     select gen_random_uuid(), $1::uuid, id, 'email', '', email, true, created_at from seed_customers
     union all
     select gen_random_uuid(), $1::uuid, id, 'phone', '', phone, true, created_at from seed_customers where phone is not null`,
    [tenantId],
  );

  // Rows go in in the order they happen, as the application writes them, so pages and indexes are laid out realistically.
  await step(
    'conversations',
    `insert into support.conversations (id, tenant_id, customer_id, state, channels_used, current_channel, assigned_agent_id, severity, sentiment,
                                        subject, tags, message_count, custom_fields, metadata, sla_due_at, first_response_at, last_message_at,
                                        resolved_at, closed_at, created_at, updated_at)
     select id, $1::uuid, customer_id, state,
            case when n % 9 = 0 and channel <> 'email' then array['email', channel] else array[channel] end, channel,
            agent_id, severity, (array['positive', 'neutral', 'neutral', 'negative'])[1 + n % 4]::text,
            subject, case when severity in ('P0', 'P1') then array['urgent'] else '{}'::text[] end,
            ${MESSAGES_PER_CONVERSATION}, '{}', '{}',
            case when state not in ('resolved', 'closed')
                 then created_at + case severity when 'P0' then interval '1 hour' when 'P1' then interval '4 hours' when 'P2' then interval '1 day' else interval '3 days' end end,
            created_at + gap, created_at + gap * ${MESSAGES_PER_CONVERSATION - 1},
            case when state in ('resolved', 'closed') then created_at + gap * ${MESSAGES_PER_CONVERSATION} end,
            case when state = 'closed' then created_at + gap * ${MESSAGES_PER_CONVERSATION + 1} end,
            created_at, created_at + gap * ${MESSAGES_PER_CONVERSATION + 1}
     from seed_conversations
     order by created_at`,
    [tenantId],
  );
  await step(
    'conversation events',
    `insert into support.conversation_events (id, tenant_id, conversation_id, type, actor_kind, actor_id, data, created_at)
     select gen_random_uuid(), $1::uuid, id, 'created', 'customer', customer_id::text,
            jsonb_build_object('channel', upper(channel), 'severity', severity), created_at
     from seed_conversations
     union all
     select gen_random_uuid(), $1::uuid, id, 'assigned', 'user', agent_id::text,
            jsonb_build_object('from', jsonb_build_object('agentId', null, 'teamId', null),
                               'to', jsonb_build_object('agentId', agent_id, 'teamId', null), 'reason', 'manual_assignment'),
            created_at + gap / 2
     from seed_conversations where agent_id is not null
     order by 8`,
    [tenantId],
  );
  // Messages alternate inbound (the customer) and outbound (the agent, or the bot), a gap apart; every ninth
  // conversation began by email and moved to its current channel.
  await step(
    'messages',
    `insert into support.messages (id, tenant_id, conversation_id, customer_id, channel, direction, sender_type, sender_id, content, content_type,
                                   is_internal, status, created_at, updated_at)
     select gen_random_uuid(), $1::uuid, v.id, v.customer_id,
            case when k = 1 and v.n % 9 = 0 then 'email' else v.channel end,
            case when k % 2 = 1 then 'inbound' else 'outbound' end,
            case when k % 2 = 1 then 'customer' when v.state = 'bot' then 'ai' else 'agent' end,
            case when k % 2 = 1 then v.customer_id when v.state = 'bot' then null else v.agent_id end,
            case when k % 2 = 1 then ($2::text[])[1 + (v.n + k) % cardinality($2::text[])]
                 when k = 2 then 'Hi ' || v.first || '! ' || ($3::text[])[1 + (v.n + k) % cardinality($3::text[])]
                 else ($3::text[])[1 + (v.n + k) % cardinality($3::text[])] end,
            'text', false,
            case when k % 2 = 1 then 'delivered' else 'read' end,
            v.created_at + v.gap * (k - 1), v.created_at + v.gap * (k - 1)
     from seed_conversations v cross join generate_series(1, ${MESSAGES_PER_CONVERSATION}) as k
     order by v.created_at + v.gap * (k - 1)`,
    [tenantId, INBOUND_TEXTS, OUTBOUND_TEXTS],
  );
}

async function countRows(client: pg.Client, tenantId: string | null): Promise<Record<SeededTable, number>> {
  const rows = {} as Record<SeededTable, number>;
  for (const table of SEEDED_TABLES) {
    const result = await client.query<{ count: number }>(
      `select count(*)::int as count from support.${table}${tenantId ? ' where tenant_id = $1' : ''}`,
      tenantId ? [tenantId] : [],
    );
    rows[table] = result.rows[0]!.count;
  }
  return rows;
}

/**
 * Seeds `main` (the benchmark's tenant) and `others` (a little data each, so that every query
 * must tell tenants apart) into a database whose support schema is migrated, then VACUUM
 * ANALYZEs the tables: GIN indexes report their size to the planner only once vacuumed.
 */
export async function seedSupport(
  databaseUrl: string,
  main: TenantSeed,
  others: TenantSeed[],
  log: (line: string) => void = console.log,
): Promise<SeedReport> {
  const started = performance.now();
  const timings = new Map<string, number>();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const seed of [main, ...others]) {
      const existing = await client.query<{ count: number }>('select count(*)::int as count from support.customers where tenant_id = $1', [
        seed.tenantId,
      ]);
      if (existing.rows[0]!.count > 0)
        throw new Error(`tenant ${seed.tenantId} already has ${existing.rows[0]!.count} customers; seed a fresh tenant`);
    }
    await client.query(`set synchronous_commit = off`);
    await client.query(`set work_mem = '64MB'`);
    await client.query(`set maintenance_work_mem = '256MB'`);
    const step = async (name: string, statement: string, values: unknown[]): Promise<number> => {
      const since = performance.now();
      const result = await client.query(statement, values);
      timings.set(name, (timings.get(name) ?? 0) + seconds(since));
      return result.rowCount ?? 0;
    };
    for (const seed of [main, ...others]) {
      const since = performance.now();
      await client.query('begin');
      try {
        await seedTenant(client, seed, step);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      }
      log(`  seeded tenant ${seed.tenantId}: ${seed.customers} customers in ${seconds(since).toFixed(1)} s`);
    }
    // The rows were committed asynchronously: until the WAL holds those commits, VACUUM leaves the pages
    // unmarked in the visibility map and PostgreSQL cannot answer counts from an index alone.
    await client.query('set synchronous_commit = on');
    await client.query('select txid_current()');
    const vacuuming = performance.now();
    for (const table of SEEDED_TABLES) await client.query(`vacuum analyze support.${table}`);
    timings.set('vacuum analyze', seconds(vacuuming));
    // Written out now rather than by a checkpoint in the middle of a measurement (needs a superuser; skipped otherwise).
    const checkpointing = performance.now();
    if (
      await client.query('checkpoint').then(
        () => true,
        () => false,
      )
    )
      timings.set('checkpoint', seconds(checkpointing));

    const tableBytes = {} as Record<SeededTable, number>;
    for (const table of SEEDED_TABLES) {
      const result = await client.query<{ bytes: string }>(`select pg_total_relation_size($1) as bytes`, [`support.${table}`]);
      tableBytes[table] = Number(result.rows[0]!.bytes);
    }
    return {
      rows: await countRows(client, main.tenantId),
      totalRows: await countRows(client, null),
      tableBytes,
      timings: [...timings].map(([step, value]) => ({ step, seconds: value })),
      seconds: seconds(started),
    };
  } finally {
    await client.end();
  }
}
