/**
 * @module What the hub reports about the other nodes when its store is shared: who is attached
 * to a session on every node, and which nodes are alive with how many connections.
 */
import type { Role } from "../protocol/envelope.ts";
import type { NodeInfo, SharedPresence } from "../store/store.ts";
import type { SessionInfo } from "./describe.ts";

/** The `cluster` part of `/api/stats` on a shared store. */
export interface ClusterStats {
  /** This node's id. */
  node: string;
  /** Nodes whose heartbeat is current, this one included once it has sent one. */
  nodes: NodeInfo[];
}

/**
 * `info` (this node's view) with `attached` and `subscribers` counted over every live node.
 * This node's own connections are taken from `info`, so a join not yet written shows too.
 */
export async function acrossNodes(
  info: SessionInfo,
  presence: SharedPresence,
): Promise<SessionInfo> {
  const local = new Set(info.attached.map((a) => a.id));
  const attached: SessionInfo["attached"] = info.attached.map((a) => ({
    ...a,
    node: presence.nodeId,
  }));
  for (const entry of await presence.attached(info.id)) {
    if (entry.node === presence.nodeId || local.has(entry.id)) continue;
    attached.push({ id: entry.id, role: entry.role as Role, node: entry.node });
  }
  const subscribers = { total: 0, orchestrator: 0, dashboard: 0, admin: 0 };
  for (const { role } of attached) {
    subscribers.total++;
    if (role in subscribers) subscribers[role]++;
  }
  return { ...info, attached, subscribers };
}

/** The live nodes, for `/api/stats`. */
export async function clusterStats(presence: SharedPresence): Promise<ClusterStats> {
  return { node: presence.nodeId, nodes: await presence.nodes() };
}
