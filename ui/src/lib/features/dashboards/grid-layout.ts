// Placement on the 4-column dashboard grid, as pure functions over boxes: does a widget fit,
// where is the first free slot, move (pushing overlapped widgets down), resize, and close the
// empty rows left behind. The components only apply the results and save positions.

export const GRID_COLUMNS = 4;
export const MAX_ROW_SPAN = 4;

export type Box = { id: string; gridColumn: number; gridRow: number; colSpan: number; rowSpan: number };

export function overlaps(a: Box, b: Box): boolean {
  return (
    a.gridColumn < b.gridColumn + b.colSpan &&
    b.gridColumn < a.gridColumn + a.colSpan &&
    a.gridRow < b.gridRow + b.rowSpan &&
    b.gridRow < a.gridRow + a.rowSpan
  );
}

export function insideGrid(box: Box): boolean {
  return box.gridColumn >= 1 && box.gridRow >= 1 && box.colSpan >= 1 && box.gridColumn + box.colSpan - 1 <= GRID_COLUMNS;
}

export function fits(boxes: readonly Box[], candidate: Box): boolean {
  return insideGrid(candidate) && boxes.every((box) => box.id === candidate.id || !overlaps(box, candidate));
}

export function lastRow(boxes: readonly Box[]): number {
  return boxes.reduce((max, box) => Math.max(max, box.gridRow + box.rowSpan - 1), 0);
}

/** First free position (row by row, left to right) for a widget of that size. */
export function findFreeSlot(boxes: readonly Box[], colSpan: number, rowSpan: number): { gridColumn: number; gridRow: number } {
  const span = Math.min(GRID_COLUMNS, Math.max(1, colSpan));
  for (let row = 1; row <= lastRow(boxes) + 1; row += 1) {
    for (let column = 1; column + span - 1 <= GRID_COLUMNS; column += 1) {
      const candidate = { id: '\u0000new', gridColumn: column, gridRow: row, colSpan: span, rowSpan };
      if (fits(boxes, candidate)) return { gridColumn: column, gridRow: row };
    }
  }
  return { gridColumn: 1, gridRow: lastRow(boxes) + 1 };
}

/** Pushes boxes that overlap `anchorId` (and, in turn, what they then overlap) downwards. */
function settle(boxes: Box[], anchorId: string): Box[] {
  const result = boxes.map((box) => ({ ...box }));
  const queue = [anchorId];
  let guard = 0;
  while (queue.length > 0 && guard < 1000) {
    guard += 1;
    const moverId = queue.shift() as string;
    const mover = result.find((box) => box.id === moverId);
    if (!mover) continue;
    for (const other of result) {
      if (other.id === mover.id || !overlaps(mover, other)) continue;
      other.gridRow = mover.gridRow + mover.rowSpan;
      queue.push(other.id);
    }
  }
  return result;
}

/** Moves a box to (column, row); a same-sized box already there swaps places, others move down. */
export function moveBox(boxes: readonly Box[], id: string, gridColumn: number, gridRow: number): Box[] {
  const moving = boxes.find((box) => box.id === id);
  if (!moving) return boxes.map((box) => ({ ...box }));
  const column = Math.min(Math.max(1, gridColumn), GRID_COLUMNS - moving.colSpan + 1);
  const row = Math.max(1, gridRow);
  const occupant = boxes.find((box) => box.id !== id && box.gridColumn === column && box.gridRow === row);
  if (occupant && occupant.colSpan === moving.colSpan && occupant.rowSpan === moving.rowSpan) {
    return boxes.map((box) => {
      if (box.id === id) return { ...box, gridColumn: column, gridRow: row };
      if (box.id === occupant.id) return { ...box, gridColumn: moving.gridColumn, gridRow: moving.gridRow };
      return { ...box };
    });
  }
  const moved = boxes.map((box) => (box.id === id ? { ...box, gridColumn: column, gridRow: row } : { ...box }));
  return settle(moved, id);
}

/** Changes a box's size (clamped to the grid), shifting it left if it would stick out. */
export function resizeBox(boxes: readonly Box[], id: string, colSpan: number, rowSpan: number): Box[] {
  const resized = boxes.map((box) => {
    if (box.id !== id) return { ...box };
    const span = Math.min(GRID_COLUMNS, Math.max(1, colSpan));
    const column = Math.min(box.gridColumn, GRID_COLUMNS - span + 1);
    return { ...box, colSpan: span, rowSpan: Math.min(MAX_ROW_SPAN, Math.max(1, rowSpan)), gridColumn: column };
  });
  return settle(resized, id);
}

/** Removes rows that no box covers, so the dashboard has no empty bands. */
export function compactRows(boxes: readonly Box[]): Box[] {
  const covered = new Set<number>();
  for (const box of boxes) for (let row = box.gridRow; row < box.gridRow + box.rowSpan; row += 1) covered.add(row);
  const rows = [...covered].sort((a, b) => a - b);
  const newIndex = new Map(rows.map((row, index) => [row, index + 1]));
  return boxes.map((box) => ({ ...box, gridRow: newIndex.get(box.gridRow) ?? box.gridRow }));
}

/** Cells no box covers in rows 1..rows (edit mode shows them as drop and add targets). */
export function emptyCells(boxes: readonly Box[], rows: number): { gridColumn: number; gridRow: number }[] {
  const cells: { gridColumn: number; gridRow: number }[] = [];
  for (let row = 1; row <= rows; row += 1) {
    for (let column = 1; column <= GRID_COLUMNS; column += 1) {
      const cell = { id: '\u0000cell', gridColumn: column, gridRow: row, colSpan: 1, rowSpan: 1 };
      if (boxes.every((box) => !overlaps(box, cell))) cells.push({ gridColumn: column, gridRow: row });
    }
  }
  return cells;
}

/** Boxes whose position differs between two layouts (what to send to widget_positions). */
export function changedPositions(before: readonly Box[], after: readonly Box[]): { id: string; gridColumn: number; gridRow: number }[] {
  const previous = new Map(before.map((box) => [box.id, box]));
  return after
    .filter((box) => {
      const old = previous.get(box.id);
      return !old || old.gridColumn !== box.gridColumn || old.gridRow !== box.gridRow;
    })
    .map((box) => ({ id: box.id, gridColumn: box.gridColumn, gridRow: box.gridRow }));
}
