import { FocusEvent, KeyboardEvent, useEffect, useRef, useState } from 'react';
import { TreeRow } from './estateModel';

/** How long a pause ends a typed name's first characters. */
const TYPE_AHEAD_MS = 500;

/** The row of the nearest ancestor shown above a row, if any. */
function parentIndex(rows: TreeRow[], index: number): number | undefined {
  const depth = rows[index].node.depth;
  for (let i = index - 1; i >= 0; i--) {
    if (rows[i].node.depth < depth) return i;
  }
  return undefined;
}

/**
 * The next row after `from`, round the end, whose name starts with `typed`. The same
 * character typed again moves on among the names it starts, as file managers do.
 */
function typeAheadIndex(
  rows: TreeRow[],
  from: number,
  typed: string,
): number | undefined {
  const sameCharacter = [...typed].every(c => c === typed[0]);
  const prefix = sameCharacter ? typed[0] : typed;
  const start = sameCharacter ? from + 1 : from;
  for (let step = 0; step < rows.length; step++) {
    const i = (start + step) % rows.length;
    if (rows[i].node.name.toLowerCase().startsWith(prefix)) return i;
  }
  return undefined;
}

/**
 * The keyboard of a tree as WAI-ARIA's tree pattern has it, over a virtualized list:
 * one row is active (the only one Tab reaches); Up and Down move, Right expands or goes
 * to the first child, Left collapses or goes to the parent, Home and End go to the ends,
 * Enter opens the row, and typing the start of a name goes to it. A row moved to is
 * scrolled into view, then focused once the list has drawn it.
 */
export function useTreeKeyboard(options: {
  rows: TreeRow[];
  onToggle(id: string): void;
  onOpen(row: TreeRow): void;
  scrollToRow(index: number): void;
}) {
  const { rows } = options;
  const [activeId, setActiveId] = useState<string>();
  const found = rows.findIndex(row => row.node.id === activeId);
  // A row the filter or a collapse took away hands over to the first.
  const activeIndex = found === -1 ? 0 : found;
  const tree = useRef<HTMLElement>();
  const pendingFocus = useRef<string>();
  const typed = useRef({ text: '', at: 0 });

  useEffect(() => {
    const id = pendingFocus.current;
    if (!id || !tree.current) return;
    const item = Array.from(
      tree.current.querySelectorAll<HTMLElement>('[role="treeitem"]'),
    ).find(element => element.dataset.id === id);
    if (item) {
      pendingFocus.current = undefined;
      item.focus();
    }
  });

  const moveTo = (index: number | undefined) => {
    if (index === undefined || index < 0 || index >= rows.length) return;
    const id = rows[index].node.id;
    setActiveId(id);
    pendingFocus.current = id;
    options.scrollToRow(index);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const target = event.target as HTMLElement;
    const onRow =
      target === event.currentTarget ||
      target.getAttribute('role') === 'treeitem';
    // A control inside a row that a click focused keeps its own keys.
    if (!onRow || rows.length === 0) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    tree.current = event.currentTarget;
    const row = rows[activeIndex];
    const { key } = event;
    const typing = key.length === 1 && (key !== ' ' || typed.current.text);
    // Any other key ends a name being typed.
    if (!typing) typed.current.text = '';
    let handled = true;
    if (key === 'ArrowDown') moveTo(activeIndex + 1);
    else if (key === 'ArrowUp') moveTo(activeIndex - 1);
    else if (key === 'Home') moveTo(0);
    else if (key === 'End') moveTo(rows.length - 1);
    else if (key === 'ArrowRight') {
      if (row.expandable && !row.expanded) options.onToggle(row.node.id);
      else if (row.expanded) moveTo(activeIndex + 1);
    } else if (key === 'ArrowLeft') {
      if (row.expandable && row.expanded) options.onToggle(row.node.id);
      else moveTo(parentIndex(rows, activeIndex));
    } else if (key === 'Enter') {
      options.onOpen(row);
    } else if (typing) {
      const now = Date.now();
      const text =
        now - typed.current.at > TYPE_AHEAD_MS ? '' : typed.current.text;
      typed.current = { text: text + key.toLowerCase(), at: now };
      moveTo(typeAheadIndex(rows, activeIndex, typed.current.text));
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
  };

  /** A row focused by a click or by Tab becomes the active one. */
  const onFocus = (event: FocusEvent<HTMLElement>) => {
    tree.current = event.currentTarget;
    const item = (event.target as HTMLElement).closest<HTMLElement>(
      '[role="treeitem"]',
    );
    if (item?.dataset.id) setActiveId(item.dataset.id);
    // Tab reached the tree while its active row is scrolled out of the list.
    else if (event.target === event.currentTarget) moveTo(activeIndex);
  };

  return {
    activeId: rows[activeIndex]?.node.id,
    activeIndex,
    onKeyDown,
    onFocus,
  };
}
