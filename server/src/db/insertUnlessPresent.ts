// Rows inserted unless their unique key already holds one — made by another request at the same moment (a
// double tap): that row is kept as it is, not overwritten and not an error. One statement: INSERT … ON
// DUPLICATE KEY UPDATE of the key's first column to itself (a no-op) on MySQL, ON CONFLICT (key) DO UPDATE
// on SQLite. Under REPEATABLE READ a row the other request committed after this transaction's snapshot is
// then seen only by a locking read.
import type { CreationAttributes, Model, ModelStatic, Transaction } from 'sequelize';

export async function insertUnlessPresent<M extends Model>(
  model: ModelStatic<M>,
  rows: readonly CreationAttributes<M>[],
  key: readonly [string, ...string[]],
  transaction: Transaction,
): Promise<void> {
  if (!rows.length) return;
  await model.bulkCreate([...rows], { transaction, updateOnDuplicate: [key[0]] as (keyof M['_attributes'])[], conflictAttributes: [...key] as (keyof M['_attributes'])[] });
}
