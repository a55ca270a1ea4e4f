// Small-cell suppression: primary (fewer than k persons) and complementary (no recovery by subtraction).
import { TOTAL, type RawCell } from './cells.ts';

/**
 * Marks the cells to hide. Primary: a cell describing 1..k-1 persons, or a share whose numerator
 * or its complement holds 1..k-1 persons (the share and the denominator would reveal them).
 * Complementary: wherever a shown parent (the total, or the one-dimension cell of a crossed
 * breakdown) has exactly one hidden child, a second child is hidden too, the one describing the
 * fewest persons, so the hidden one cannot be computed as parent minus siblings. Repeats until
 * stable, since a secondary suppression can leave another group with a single hidden cell.
 */
export function suppressedCells(cells: readonly RawCell[], k: number): Set<RawCell> {
  const small = (n: number) => n > 0 && n < k;
  const hidden = new Set(
    cells.filter((c) => small(c.persons) || small(c.numeratorPersons) || small(c.otherPersons)),
  );
  const groups = childGroups(cells);
  for (let changed = true; changed;) {
    changed = false;
    for (const { parent, children } of groups) {
      if (parent === undefined || hidden.has(parent)) continue;
      const hiddenChildren = children.filter((c) => hidden.has(c));
      if (hiddenChildren.length !== 1) continue;
      const candidate = children
        .filter((c) => !hidden.has(c))
        .sort((a, b) => a.persons - b.persons || (a.key ?? '').localeCompare(b.key ?? ''))[0];
      if (candidate !== undefined) {
        hidden.add(candidate);
        changed = true;
      }
    }
  }
  return hidden;
}

interface Group {
  readonly parent: RawCell | undefined;
  readonly children: readonly RawCell[];
}

/** For each breakdown and each of its dimensions: the cells that sum to one parent cell. */
function childGroups(cells: readonly RawCell[]): Group[] {
  const byId = new Map(cells.map((c) => [id(c.period, c.breakdown, c.values), c]));
  const groups = new Map<string, { parent: RawCell | undefined; children: RawCell[] }>();
  for (const c of cells) {
    if (c.breakdown === TOTAL) continue;
    const dims = c.breakdown.split('+');
    for (const dropped of dims) {
      const rest = dims.filter((d) => d !== dropped);
      const parentValues = Object.fromEntries(rest.map((d) => [d, c.values[d] ?? '']));
      const parentId = id(c.period, rest.length === 0 ? TOTAL : rest.join('+'), parentValues);
      const groupId = `${c.breakdown}|${dropped}|${parentId}`;
      const group = groups.get(groupId) ?? { parent: byId.get(parentId), children: [] };
      group.children.push(c);
      groups.set(groupId, group);
    }
  }
  return [...groups.values()];
}

function id(period: string, breakdown: string, values: Readonly<Record<string, string>>): string {
  return `${period}|${breakdown}|${JSON.stringify(Object.entries(values).sort())}`;
}
