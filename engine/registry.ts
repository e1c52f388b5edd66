/**
 * Every engine concept (activations, losses, optimisers, initialisers, schedules) has one registry: a
 * Record from its names to what consumers need to know besides the maths. Names and labels come from it.
 */

/** A registry's names, in the order its entries are written. */
export function namesOf<Name extends string>(registry: Readonly<Record<Name, unknown>>): readonly Name[] {
  return Object.keys(registry) as Name[];
}

/** What each name is called where people see it. */
export function labelsOf<Name extends string>(registry: Readonly<Record<Name, { readonly label: string }>>): Readonly<Record<Name, string>> {
  return Object.fromEntries(namesOf(registry).map((name) => [name, registry[name].label])) as Record<Name, string>;
}
