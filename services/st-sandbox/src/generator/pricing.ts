import { type Rng, round } from '../random';

export interface Prices {
  price: number;
  memberPrice: number;
  addOnPrice: number;
  addOnMemberPrice: number;
}

/** Contractor markups shrink as parts get dearer. */
export function markup(cost: number, rng: Rng): number {
  if (cost < 10) return rng.float(2.4, 3.6, 3);
  if (cost < 50) return rng.float(1.9, 2.8, 3);
  if (cost < 250) return rng.float(1.55, 2.2, 3);
  return rng.float(1.3, 1.8, 3);
}

/**
 * Consistent price ladder: price >= cost, member price <= price, add-on prices below their
 * regular counterparts, and nothing sold under cost.
 */
export function ladder(price: number, cost: number, rng: Rng): Prices {
  const p = round(Math.max(price, cost));
  const memberPrice = round(Math.max(cost, p * rng.float(0.85, 0.95, 3)));
  const addOnPrice = round(Math.max(cost, p * rng.float(0.88, 0.97, 3)));
  const addOnMemberPrice = round(Math.max(cost, Math.min(memberPrice, addOnPrice) * 0.95));
  return { price: p, memberPrice, addOnPrice, addOnMemberPrice: Math.min(addOnMemberPrice, memberPrice) };
}
