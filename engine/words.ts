/** "4", "4 and 9", "4, 9 and 17": items as a sentence lists them. */
export function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "1 value", "2 values": a count with its noun. */
export function counted(count: number, noun: string, text = count.toLocaleString('en-US')): string {
  return `${text} ${count === 1 ? noun : `${noun}s`}`;
}
