// Property filters as typed in a form (the value is text until it is sent), shared by the explorer and the insight
// builders: the operators with their labels, and the conversions to and from the server's PropertyFilter.
import { PropertyFilter, PropertyOperator } from "../api/operations";

/** Every PropertyOperator with the words a form shows for it. */
export const operators: { value: PropertyOperator; label: string }[] = [
  { value: "EQ", label: "equals" },
  { value: "NEQ", label: "does not equal" },
  { value: "CONTAINS", label: "contains" },
  { value: "NOT_CONTAINS", label: "does not contain" },
  { value: "REGEX", label: "matches regex" },
  { value: "GT", label: ">" },
  { value: "GTE", label: "≥" },
  { value: "LT", label: "<" },
  { value: "LTE", label: "≤" },
  { value: "IS_SET", label: "is set" },
  { value: "IS_NOT_SET", label: "is not set" },
  { value: "IN", label: "is one of (comma-separated)" },
];

const operatorValues = new Set<string>(operators.map((op) => op.value));
const numericOperators = new Set<PropertyOperator>(["GT", "GTE", "LT", "LTE"]);

/** A filter row as typed: the value is text until it is sent; `person` filters on the person's properties. */
export interface FilterDraft {
  key: string;
  operator: PropertyOperator;
  value: string;
  person?: boolean;
}

/** Whether the operator takes no value. */
export function takesNoValue(operator: PropertyOperator): boolean {
  return operator === "IS_SET" || operator === "IS_NOT_SET";
}

/** A typed value: JSON numbers, booleans and null as such, anything else as a string. */
export function parseValue(text: string): unknown {
  const trimmed = text.trim();
  if (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(trimmed)) return JSON.parse(trimmed);
  return text;
}

/** The filter the server takes: IN splits at commas, the comparisons need a number. */
export function toFilter(draft: FilterDraft): PropertyFilter {
  const filter: PropertyFilter = { key: draft.key, operator: draft.operator };
  if (draft.operator === "IN") filter.value = draft.value.split(",").map((v) => parseValue(v.trim()));
  else if (!takesNoValue(draft.operator)) filter.value = numericOperators.has(draft.operator) ? Number(draft.value) : parseValue(draft.value);
  if (draft.person) filter.type = "PERSON";
  return filter;
}

/** Whether a draft can be sent: a key, and a value where the operator needs one (a number for the comparisons). */
export function isComplete(draft: FilterDraft): boolean {
  if (draft.key.trim() === "") return false;
  if (takesNoValue(draft.operator)) return true;
  if (draft.value.trim() === "") return false;
  return !numericOperators.has(draft.operator) || Number.isFinite(Number(draft.value));
}

/** The complete drafts as filters (incomplete rows are still being typed). */
export function toFilters(drafts: FilterDraft[]): PropertyFilter[] {
  return drafts.filter(isComplete).map(toFilter);
}

function valueText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

/** The draft of a filter the server took (a saved report's), so it can be edited again. */
export function fromFilter(filter: PropertyFilter): FilterDraft {
  let value = "";
  if (filter.operator === "IN") value = (Array.isArray(filter.value) ? filter.value : [filter.value]).map(valueText).join(", ");
  else if (!takesNoValue(filter.operator)) value = valueText(filter.value);
  return { key: filter.key, operator: filter.operator, value, ...(filter.type === "PERSON" ? { person: true } : {}) };
}

/** Drafts from untrusted JSON (a URL, a saved definition): rows that are not drafts are dropped. */
export function readDrafts(value: unknown): FilterDraft[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (f): f is FilterDraft =>
        typeof f === "object" && f !== null && typeof f.key === "string" && operatorValues.has(f.operator),
    )
    .map((f) => ({
      key: f.key,
      operator: f.operator,
      value: typeof f.value === "string" ? f.value : "",
      ...(f.person === true ? { person: true } : {}),
    }));
}

/** Server filters from untrusted JSON (a saved definition) as drafts. */
export function draftsFromFilters(value: unknown): FilterDraft[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (f): f is PropertyFilter =>
        typeof f === "object" && f !== null && typeof f.key === "string" && operatorValues.has(f.operator),
    )
    .map(fromFilter);
}
