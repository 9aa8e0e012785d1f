import { describe, expect, it } from 'vitest';
import { ValidationError } from '@deskgraph/errors';
import { pick, presentTeam, presentUser, scheduleInput, type TeamData, type UserData } from '../identity-shapes.js';

describe('scheduleInput', () => {
  it('upper-cases the days of the list form and keeps the rest', () => {
    const schedule = {
      timezone: 'Europe/Berlin',
      hours: [
        { day: 'monday', start: '09:00', end: '17:00' },
        { day: 'Friday', start: '09:00', end: '13:00' },
      ],
    };
    expect(scheduleInput(schedule)).toEqual({
      timezone: 'Europe/Berlin',
      hours: [
        { day: 'MONDAY', start: '09:00', end: '17:00' },
        { day: 'FRIDAY', start: '09:00', end: '13:00' },
      ],
    });
  });

  it('turns the day-keyed form into the list form, in any case, defaulting the time zone to UTC', () => {
    expect(scheduleInput({ monday: { start: '08:00', end: '16:00' }, Tuesday: { start: '10:00', end: '18:00' } })).toEqual({
      timezone: 'UTC',
      hours: [
        { day: 'MONDAY', start: '08:00', end: '16:00' },
        { day: 'TUESDAY', start: '10:00', end: '18:00' },
      ],
    });
    expect(scheduleInput({ timezone: 'America/New_York', sunday: { start: '10:00', end: '12:00' } })).toEqual({
      timezone: 'America/New_York',
      hours: [{ day: 'SUNDAY', start: '10:00', end: '12:00' }],
    });
  });

  it('refuses an unknown day with VALIDATION_ERROR on schedule.<key>', () => {
    let error: unknown;
    try {
      scheduleInput({ monday: { start: '08:00', end: '16:00' }, funday: { start: '10:00', end: '11:00' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([{ field: 'schedule.funday', message: 'is not a day of the week' }]);
  });

  it('passes null, absent and non-object values through for GraphQL to judge', () => {
    expect(scheduleInput(null)).toBeNull();
    expect(scheduleInput(undefined)).toBeUndefined();
    expect(scheduleInput('9 to 5')).toBe('9 to 5');
  });
});

describe('presenters', () => {
  const user: UserData = {
    id: 'u1',
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    displayName: 'Ada Lovelace',
    phone: null,
    role: 'ADMIN',
    isActive: true,
    skills: ['billing'],
    maxConcurrentConversations: 5,
    teamId: 't1',
    teams: [{ id: 't1' }, { id: 't2' }],
    lastLoginAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    tenant: { id: 'tenant-1' },
  };

  it('presents a user with a lower-case role and team ids', () => {
    expect(presentUser(user)).toEqual({
      id: 'u1',
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      displayName: 'Ada Lovelace',
      phone: null,
      role: 'admin',
      teamId: 't1',
      teamIds: ['t1', 't2'],
      skills: ['billing'],
      maxConcurrentConversations: 5,
      isActive: true,
      lastLoginAt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
    });
  });

  it('presents a team with lower-case days and member ids', () => {
    const team: TeamData = {
      id: 't1',
      name: 'Billing',
      description: null,
      skills: ['billing'],
      memberCount: 2,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      schedule: { timezone: 'UTC', hours: [{ day: 'MONDAY', start: '09:00', end: '17:00' }] },
      members: [{ id: 'u1' }, { id: 'u2' }],
    };
    expect(presentTeam(team)).toMatchObject({
      schedule: { timezone: 'UTC', hours: [{ day: 'monday', start: '09:00', end: '17:00' }] },
      memberIds: ['u1', 'u2'],
      memberCount: 2,
    });
    expect(presentTeam({ ...team, schedule: null }).schedule).toBeNull();
  });
});

describe('pick', () => {
  it('copies only the listed keys that are present, keeping explicit nulls', () => {
    expect(pick({ name: 'A', phone: null, role: 'admin', extra: 1 }, ['name', 'phone', 'email'])).toEqual({ name: 'A', phone: null });
  });
});
