// A dashboard's 12-column grid as Tailwind classes. Sizes become classes, never inline styles (the
// Content-Security-Policy allows no `style=`); every class is written out whole so Tailwind finds it in the source.

const columnSpans: Record<number, string> = {
  1: "md:col-span-1",
  2: "md:col-span-2",
  3: "md:col-span-3",
  4: "md:col-span-4",
  5: "md:col-span-5",
  6: "md:col-span-6",
  7: "md:col-span-7",
  8: "md:col-span-8",
  9: "md:col-span-9",
  10: "md:col-span-10",
  11: "md:col-span-11",
  12: "md:col-span-12",
};

const rowSpans: Record<number, string> = {
  1: "row-span-1",
  2: "row-span-2",
  3: "row-span-3",
  4: "row-span-4",
  5: "row-span-5",
  6: "row-span-6",
  7: "row-span-7",
  8: "row-span-8",
  9: "row-span-9",
  10: "row-span-10",
  11: "row-span-11",
  12: "row-span-12",
};

/** The grid itself: one column below 768 px (every item full width), 12 above; rows 6rem high. */
export const gridClass = "grid grid-cols-1 auto-rows-[6rem] gap-4 md:grid-cols-12";

function clamp(value: number): number {
  return Math.min(12, Math.max(1, Math.round(value) || 1));
}

/** The classes placing an item `width` columns wide (of 12) and `height` rows high. */
export function spanClasses(width: number, height: number): string {
  return `col-span-1 ${columnSpans[clamp(width)]} ${rowSpans[clamp(height)]}`;
}

/** The widths the editor offers. */
export const widthChoices: { value: number; label: string }[] = [
  { value: 3, label: "Quarter (3 columns)" },
  { value: 4, label: "Third (4 columns)" },
  { value: 6, label: "Half (6 columns)" },
  { value: 8, label: "Two thirds (8 columns)" },
  { value: 12, label: "Full width (12 columns)" },
];

/** The heights the editor offers, in grid rows. */
export const heightChoices: { value: number; label: string }[] = [
  { value: 3, label: "Small" },
  { value: 4, label: "Medium" },
  { value: 6, label: "Large" },
];

/** A choice list that also holds `current` when it is not one of them (a size set through the API). */
export function withCurrent(choices: { value: number; label: string }[], current: number, unit: string) {
  return choices.some((c) => c.value === current) ? choices : [...choices, { value: current, label: `${current} ${unit}` }].sort((a, b) => a.value - b.value);
}
