import { describe, expect, it } from 'vitest';
import { changedPositions, compactRows, emptyCells, findFreeSlot, fits, moveBox, resizeBox, type Box } from './grid-layout';

const box = (id: string, gridColumn: number, gridRow: number, colSpan = 1, rowSpan = 1): Box => ({ id, gridColumn, gridRow, colSpan, rowSpan });

// the default dashboard: four stats, services (2 wide), recent traces (4 wide)
const defaults = [box('a', 1, 1), box('b', 2, 1), box('c', 3, 1), box('d', 4, 1), box('s', 1, 2, 2), box('r', 1, 3, 4)];

describe('grid layout', () => {
  it('checks that a widget fits inside 4 columns without overlap', () => {
    expect(fits(defaults, box('new', 3, 2, 2))).toBe(true);
    expect(fits(defaults, box('new', 2, 2, 1))).toBe(false);
    expect(fits(defaults, box('new', 4, 2, 2))).toBe(false);
  });

  it('finds the first free slot row by row', () => {
    expect(findFreeSlot(defaults, 1, 1)).toEqual({ gridColumn: 3, gridRow: 2 });
    expect(findFreeSlot(defaults, 2, 1)).toEqual({ gridColumn: 3, gridRow: 2 });
    expect(findFreeSlot(defaults, 3, 1)).toEqual({ gridColumn: 1, gridRow: 4 });
    expect(findFreeSlot([], 4, 1)).toEqual({ gridColumn: 1, gridRow: 1 });
  });

  it('swaps same-sized widgets when one is dropped on the other', () => {
    const moved = moveBox(defaults, 'a', 4, 1);
    expect(moved.find((entry) => entry.id === 'a')).toMatchObject({ gridColumn: 4, gridRow: 1 });
    expect(moved.find((entry) => entry.id === 'd')).toMatchObject({ gridColumn: 1, gridRow: 1 });
  });

  it('pushes overlapped widgets down, in cascade', () => {
    const moved = moveBox(defaults, 'r', 1, 2);
    expect(moved.find((entry) => entry.id === 'r')).toMatchObject({ gridColumn: 1, gridRow: 2 });
    expect(moved.find((entry) => entry.id === 's')).toMatchObject({ gridRow: 3 });
    for (const [index, first] of moved.entries()) for (const second of moved.slice(index + 1)) expect(fits([first], { ...second, id: `${second.id}-probe` })).toBe(true);
  });

  it('clamps a move so the widget stays inside the grid', () => {
    const moved = moveBox(defaults, 's', 4, 5);
    expect(moved.find((entry) => entry.id === 's')).toMatchObject({ gridColumn: 3, gridRow: 5 });
  });

  it('resizes within limits and shifts left when needed', () => {
    const wider = resizeBox(defaults, 'd', 2, 1);
    expect(wider.find((entry) => entry.id === 'd')).toMatchObject({ gridColumn: 3, colSpan: 2 });
    expect(wider.find((entry) => entry.id === 'c')?.gridRow).toBe(2);
    expect(resizeBox(defaults, 'a', 9, 9).find((entry) => entry.id === 'a')).toMatchObject({ colSpan: 4, rowSpan: 4 });
  });

  it('closes empty rows and reports what moved', () => {
    const sparse = [box('a', 1, 1), box('b', 2, 4), box('c', 1, 6, 1, 2)];
    const compacted = compactRows(sparse);
    expect(compacted.map((entry) => entry.gridRow)).toEqual([1, 2, 3]);
    expect(changedPositions(sparse, compacted)).toEqual([
      { id: 'b', gridColumn: 2, gridRow: 2 },
      { id: 'c', gridColumn: 1, gridRow: 3 },
    ]);
  });

  it('lists empty cells as add/drop targets', () => {
    expect(emptyCells(defaults, 4)).toEqual([
      { gridColumn: 3, gridRow: 2 },
      { gridColumn: 4, gridRow: 2 },
      { gridColumn: 1, gridRow: 4 },
      { gridColumn: 2, gridRow: 4 },
      { gridColumn: 3, gridRow: 4 },
      { gridColumn: 4, gridRow: 4 },
    ]);
  });
});
