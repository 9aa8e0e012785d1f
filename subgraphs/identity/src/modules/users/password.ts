import { hash, verify } from '@node-rs/argon2';

// argon2id, m=19 MiB, t=2, p=1: the OWASP recommendation, and the library's defaults.
const ARGON2ID = 2;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

let dummyHash: Promise<string> | null = null;

/**
 * Verifies a password against a stored hash. Without a hash (unknown email) it still
 * verifies against a dummy, so a response's timing does not reveal which emails exist.
 */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    dummyHash ??= hashPassword('dummy password for timing');
    await verify(await dummyHash, password);
    return false;
  }
  return verify(passwordHash, password);
}
