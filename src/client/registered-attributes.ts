import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { HADES_SEARCH_ATTRIBUTES, searchAttributeTypes } from '../workflows/run-attributes';

/**
 * The names of Hades' search attributes that the namespace has registered with the right type.
 * A server that will not say (no operator permission) counts as having none: runs then write
 * only their memo, and `hades list` filters what it can on its own side.
 */
export async function findRegisteredAttributes(connection: Connection, namespace: string): Promise<Set<string>> {
  let custom: Record<string, unknown>;
  try {
    const response = await connection.operatorService.listSearchAttributes({ namespace });
    custom = response.customAttributes ?? {};
  } catch {
    return new Set();
  }
  const registered = HADES_SEARCH_ATTRIBUTES.filter(
    (key) => custom[key.name] === encodeSearchAttributeIndexedValueType(key.type),
  );
  return new Set(registered.map((key) => key.name));
}

/** The temporal CLI command that registers one of Hades' search attributes on a namespace. */
export function registrationCommand(name: string, namespace: string): string {
  const type = searchAttributeTypes()[name];
  return `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type ${type}`;
}
