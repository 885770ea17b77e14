/**
 * The OData `$filter` subset Graph's directory objects support: eq, ne, not, and, or, parentheses,
 * in (...), startswith(), endswith(), and `groupTypes/any(c:c eq 'Unified')`. ne, not and
 * endswith are "advanced queries" that Graph only runs with ConsistencyLevel: eventual + $count.
 */

export type Literal = string | number | boolean | null;

export type FilterExpr =
  | { kind: "and" | "or"; left: FilterExpr; right: FilterExpr }
  | { kind: "not"; expr: FilterExpr }
  | { kind: "cmp"; op: "eq" | "ne" | "gt" | "ge" | "lt" | "le"; prop: string; value: Literal }
  | { kind: "in"; prop: string; values: Literal[] }
  | { kind: "func"; name: "startswith" | "endswith"; prop: string; value: string }
  | { kind: "any"; prop: string; value: Literal };

export class FilterSyntaxError extends Error {
  readonly code = "filter_syntax";
}

type Token =
  { t: "id"; v: string } | { t: "str"; v: string } | { t: "num"; v: number } | { t: "p"; v: "(" | ")" | "," | ":" };

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === "," || c === ":") {
      out.push({ t: "p", v: c });
      i++;
    } else if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= input.length) throw new FilterSyntaxError("Unterminated string literal.");
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += input[i];
        i++;
      }
      out.push({ t: "str", v: s });
    } else if (/[0-9-]/.test(c) && /^-?\d/.test(input.slice(i))) {
      const m = /^-?\d+(\.\d+)?/.exec(input.slice(i))!;
      out.push({ t: "num", v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$./]*/.exec(input.slice(i))!;
      out.push({ t: "id", v: m[0] });
      i += m[0].length;
    } else {
      throw new FilterSyntaxError(`Syntax error: character '${c}' is not valid at position ${i} in '${input}'.`);
    }
  }
  return out;
}

export function parseFilter(input: string): FilterExpr {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isId = (v: string): boolean => {
    const tk = peek();
    return tk?.t === "id" && tk.v.toLowerCase() === v;
  };
  const expectP = (v: string): void => {
    const tk = tokens[pos++];
    if (tk?.t !== "p" || tk.v !== v) throw new FilterSyntaxError(`Syntax error: expected '${v}' in '${input}'.`);
  };
  const literal = (): Literal => {
    const tk = tokens[pos++];
    if (tk === undefined) throw new FilterSyntaxError(`Syntax error: a value is missing in '${input}'.`);
    if (tk.t === "str" || tk.t === "num") return tk.v;
    if (tk.t === "id" && ["true", "false", "null"].includes(tk.v.toLowerCase())) {
      const v = tk.v.toLowerCase();
      return v === "null" ? null : v === "true";
    }
    throw new FilterSyntaxError(`Syntax error: '${tk.v}' is not a value in '${input}'.`);
  };
  const property = (): string => {
    const tk = tokens[pos++];
    if (tk?.t !== "id") throw new FilterSyntaxError(`Syntax error: a property name is missing in '${input}'.`);
    return tk.v;
  };

  function primary(): FilterExpr {
    const tk = peek();
    if (tk?.t === "p" && tk.v === "(") {
      pos++;
      const e = orExpr();
      expectP(")");
      return e;
    }
    if (isId("not")) {
      pos++;
      return { kind: "not", expr: primary() };
    }
    if (isId("startswith") || isId("endswith")) {
      const name = (tokens[pos++] as { v: string }).v.toLowerCase() as "startswith" | "endswith";
      expectP("(");
      const prop = property();
      expectP(",");
      const value = literal();
      expectP(")");
      if (typeof value !== "string") throw new FilterSyntaxError(`${name} needs a string value.`);
      return { kind: "func", name, prop, value };
    }
    const prop = property();
    const lambda = /^(.+)\/any$/i.exec(prop);
    if (lambda !== null) {
      expectP("(");
      const variable = property();
      expectP(":");
      const ref = property();
      if (ref !== variable) throw new FilterSyntaxError(`Syntax error: lambda variable '${ref}' is not defined.`);
      const opTk = tokens[pos++];
      if (opTk?.t !== "id" || opTk.v.toLowerCase() !== "eq")
        throw new FilterSyntaxError("Only 'eq' is supported inside any().");
      const value = literal();
      expectP(")");
      return { kind: "any", prop: lambda[1]!, value };
    }
    const opTk = tokens[pos++];
    if (opTk?.t !== "id") throw new FilterSyntaxError(`Syntax error: an operator is missing after '${prop}'.`);
    const op = opTk.v.toLowerCase();
    if (op === "in") {
      expectP("(");
      const values: Literal[] = [literal()];
      while (peek()?.t === "p" && (peek() as { v: string }).v === ",") {
        pos++;
        values.push(literal());
      }
      expectP(")");
      return { kind: "in", prop, values };
    }
    if (!["eq", "ne", "gt", "ge", "lt", "le"].includes(op)) {
      throw new FilterSyntaxError(`Invalid filter clause: the operator '${opTk.v}' is not supported.`);
    }
    return { kind: "cmp", op: op as "eq", prop, value: literal() };
  }
  function andExpr(): FilterExpr {
    let left = primary();
    while (isId("and")) {
      pos++;
      left = { kind: "and", left, right: primary() };
    }
    return left;
  }
  function orExpr(): FilterExpr {
    let left = andExpr();
    while (isId("or")) {
      pos++;
      left = { kind: "or", left, right: andExpr() };
    }
    return left;
  }
  const expr = orExpr();
  if (pos !== tokens.length) throw new FilterSyntaxError(`Syntax error at position ${pos} in '${input}'.`);
  return expr;
}

/** The first operator that needs an advanced query (ConsistencyLevel: eventual + $count=true), if any. */
export function advancedOperator(expr: FilterExpr): string | undefined {
  switch (expr.kind) {
    case "and":
    case "or":
      return advancedOperator(expr.left) ?? advancedOperator(expr.right);
    case "not":
      return "not";
    case "cmp":
      return expr.op === "ne" ? "ne" : undefined;
    case "func":
      return expr.name === "endswith" ? "endsWith" : undefined;
    default:
      return undefined;
  }
}

/** Every property the expression names (to check them against the resource's filterable ones). */
export function filterProperties(expr: FilterExpr): string[] {
  switch (expr.kind) {
    case "and":
    case "or":
      return [...filterProperties(expr.left), ...filterProperties(expr.right)];
    case "not":
      return filterProperties(expr.expr);
    default:
      return [expr.prop];
  }
}

function eqValue(a: unknown, b: Literal): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (a === undefined) return b === null;
  return a === b;
}

function order(a: unknown, b: Literal): number {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase().localeCompare(b.toLowerCase());
  if (typeof a === "number" && typeof b === "number") return a - b;
  return NaN;
}

export function evaluateFilter(expr: FilterExpr, get: (prop: string) => unknown): boolean {
  switch (expr.kind) {
    case "and":
      return evaluateFilter(expr.left, get) && evaluateFilter(expr.right, get);
    case "or":
      return evaluateFilter(expr.left, get) || evaluateFilter(expr.right, get);
    case "not":
      return !evaluateFilter(expr.expr, get);
    case "in":
      return expr.values.some((v) => eqValue(get(expr.prop), v));
    case "any": {
      const list = get(expr.prop);
      return Array.isArray(list) && list.some((v) => eqValue(v, expr.value));
    }
    case "func": {
      const v = get(expr.prop);
      if (typeof v !== "string") return false;
      const a = v.toLowerCase();
      const b = expr.value.toLowerCase();
      return expr.name === "startswith" ? a.startsWith(b) : a.endsWith(b);
    }
    case "cmp": {
      const v = get(expr.prop);
      switch (expr.op) {
        case "eq":
          return eqValue(v, expr.value);
        case "ne":
          return !eqValue(v, expr.value);
        case "gt":
          return order(v, expr.value) > 0;
        case "ge":
          return order(v, expr.value) >= 0;
        case "lt":
          return order(v, expr.value) < 0;
        case "le":
          return order(v, expr.value) <= 0;
      }
    }
  }
}
