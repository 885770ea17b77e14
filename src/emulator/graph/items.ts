import type { GraphObject } from "./shapes";

/** One object of a Graph collection, before projection. */
export interface CollectionItem {
  /** All properties of the object. */
  props: GraphObject;
  /** "#microsoft.graph.user" etc.; printed in mixed (directoryObject) collections. */
  odataType: string;
  /** Objects the caller may not read come back with only @odata.type and id. */
  limited?: boolean;
}

/** The item's `select`ed properties; `@odata.type` first in mixed collections and for limited items. */
export function project(item: CollectionItem, select: string[], mixed: boolean): GraphObject {
  const out: GraphObject = {};
  if (mixed || item.limited === true) out["@odata.type"] = item.odataType;
  if (item.limited === true) {
    out.id = item.props.id;
    return out;
  }
  for (const key of select) if (key in item.props) out[key] = item.props[key];
  return out;
}
