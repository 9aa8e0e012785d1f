import { ValidationError } from '@deskgraph/errors';

/** The user fields every document's user shape is built from. */
export const USER_FIELDS = /* GraphQL */ `
  fragment RestUser on User {
    id
    email
    firstName
    lastName
    displayName
    phone
    role
    isActive
    skills
    maxConcurrentConversations
    teamId
    teams {
      id
    }
    lastLoginAt
    createdAt
    updatedAt
    tenant {
      id
    }
  }
`;

export interface UserData {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  displayName: string;
  phone: string | null;
  role: string;
  isActive: boolean;
  skills: string[];
  maxConcurrentConversations: number;
  teamId: string | null;
  teams: { id: string }[];
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
  tenant: { id: string };
}

export interface AuthData {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: string;
  user: UserData;
}

export const AUTH_FIELDS = /* GraphQL */ `
  fragment RestAuth on AuthPayload {
    accessToken
    refreshToken
    expiresIn
    tokenType
    user {
      ...RestUser
    }
  }
`;

export const TEAM_FIELDS = /* GraphQL */ `
  fragment RestTeam on Team {
    id
    name
    description
    skills
    memberCount
    createdAt
    updatedAt
    schedule {
      timezone
      hours {
        day
        start
        end
      }
    }
    members {
      id
    }
  }
`;

export interface TeamData {
  id: string;
  name: string;
  description: string | null;
  skills: string[];
  memberCount: number;
  createdAt: string;
  updatedAt: string;
  schedule: { timezone: string; hours: { day: string; start: string; end: string }[] } | null;
  members: { id: string }[];
}

export interface ConnectionData<T> {
  nodes: T[];
  totalCount: number;
}

/** GraphQL enums are SCREAMING_CASE; the REST documents speak lower-case. */
export function lower(value: string): string {
  return value.toLowerCase();
}

export function upper(value: unknown): unknown {
  return typeof value === 'string' ? value.toUpperCase() : value;
}

/** The 000 document's user (login response), with the other fields a client may need. */
export function presentUser(user: UserData) {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    displayName: user.displayName,
    phone: user.phone,
    role: lower(user.role),
    teamId: user.teamId,
    teamIds: user.teams.map((team) => team.id),
    skills: user.skills,
    maxConcurrentConversations: user.maxConcurrentConversations,
    isActive: user.isActive,
    lastLoginAt: user.lastLoginAt,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

export function presentTeam(team: TeamData) {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    skills: team.skills,
    schedule: team.schedule && {
      timezone: team.schedule.timezone,
      hours: team.schedule.hours.map((hours) => ({ ...hours, day: lower(hours.day) })),
    },
    memberIds: team.members.map((member) => member.id),
    memberCount: team.memberCount,
    createdAt: team.createdAt,
    updatedAt: team.updatedAt,
  };
}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * A REST schedule as GraphQL input: `{ timezone, hours: [{ day, start, end }] }`, or the
 * day-keyed form `{ timezone?, monday: { start, end }, ... }` (as 003's working_hours).
 */
export function scheduleInput(value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  const schedule = value as Record<string, unknown>;
  if (Array.isArray(schedule.hours)) {
    return {
      timezone: schedule.timezone,
      hours: schedule.hours.map((hours: Record<string, unknown>) => ({ ...hours, day: upper(hours.day) })),
    };
  }
  const days = Object.keys(schedule).filter((key) => key !== 'timezone');
  const unknownDay = days.find((day) => !DAYS.includes(day.toLowerCase()));
  if (unknownDay) throw new ValidationError([{ field: `schedule.${unknownDay}`, message: 'is not a day of the week' }]);
  return {
    timezone: schedule.timezone ?? 'UTC',
    hours: days.map((day) => ({ day: day.toUpperCase(), ...(schedule[day] as object) })),
  };
}

/** Copies the listed keys that are present in the body (PATCH semantics: absent keys stay). */
export function pick(body: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in body).map((key) => [key, body[key]]));
}
