import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Hades' custom search attributes: what `hades list` and the Web UI's filters select runs by. The
 * server must have them registered (`hades dev` and the tests do it; on a cluster, see the
 * README); a run writes only those the client found registered, so it works on a server without.
 * Never put secrets in them: codecs do not encrypt search attributes.
 */
export const RUN_ATTRIBUTES = {
  /** The plan the run runs; set at start. */
  plan: defineSearchAttributeKey('HadesPlan', SearchAttributeType.KEYWORD),
  /** The step that runs now, or the last one that ran. */
  step: defineSearchAttributeKey('HadesStep', SearchAttributeType.KEYWORD),
  /** True while the run waits at a gate for an answer. */
  gateOpen: defineSearchAttributeKey('HadesGateOpen', SearchAttributeType.BOOL),
  /** The first host that failed, when one did. */
  failedHost: defineSearchAttributeKey('HadesFailedHost', SearchAttributeType.KEYWORD),
  /** The run's failure type (HOST_FAILED, GATE_REJECTED, GATE_TIMED_OUT), when it failed. */
  failure: defineSearchAttributeKey('HadesFailure', SearchAttributeType.KEYWORD),
} as const;

export type RunAttributeKey = (typeof RUN_ATTRIBUTES)[keyof typeof RUN_ATTRIBUTES];

export const HADES_SEARCH_ATTRIBUTES: readonly RunAttributeKey[] = Object.values(RUN_ATTRIBUTES);

/** The type names of `temporal ... --search-attribute NAME=TYPE` and `--type TYPE`. */
const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** Hades' search attributes as name → type, the way the temporal CLI spells the type. */
export function searchAttributeTypes(): Record<string, string> {
  return Object.fromEntries(HADES_SEARCH_ATTRIBUTES.map((key) => [key.name, CLI_TYPE_NAMES[key.type]]));
}

/**
 * The run's memo: the same facts as the search attributes, readable by `hades list` on any server
 * because a memo needs no registration (but cannot be filtered on).
 */
export interface RunMemo {
  plan?: string;
  failedHost?: string;
  failure?: string;
}
