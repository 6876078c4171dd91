// bcryptjs: pure JavaScript, so no native build step on install (and nothing to download).
import bcrypt from "bcryptjs";

const COST = Number(process.env.BACKOUT_BCRYPT_COST ?? 11);

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
