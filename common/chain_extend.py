"""The audit chain's append (``audit_chain_extend``): links added to their objects' chains, each
chain's head locked or started (issue 18).

Rows of one object chain in array order. An existing chain's head is locked (in object order,
so concurrent statements never deadlock on each other's heads), reached through its unique
index only, one probe per row, and moved on by an UPDATE by its id (joined on the unique index,
the UPDATE had read every head of the table). A chain that has no head yet (a new
record's history: every object of a register import) starts at the genesis hash and its head
is inserted once, with its final length and hash: before, a placeholder head was inserted,
locked and rewritten by an upsert for every new object (about a third of the append's cost for
new objects, and a dead row version each). Should another transaction have started the same
chain first (only raw SQL can: a new record is not visible to others), its insert is skipped
and those rows are appended again as an existing chain's. The chain tables' keys (table and
object) compare bytewise, collation "C" (``install_chains``), as the heads are locked: by the
database's linguistic collation every index entry of every link and head cost a locale
comparison (issue 18). The head lookups name the collation their index has; without a match,
and without statistics of the heads (a fresh database), a nested loop over the whole head table
took 12-13 s of a 15 s statement for 5,000 new objects.
"""

from __future__ import annotations

from .chain_insert import STABLE_CLAUSE

_HEADER = """
CREATE OR REPLACE FUNCTION audit_chain_extend(
  tbl text, layouts integer[], oids text[], rids bigint[], payloads text[],
  removed text[], nows text[]
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER {stable} SET enable_seqscan = off AS $$
"""
_BODY = """DECLARE
  r record;
  cur_obj text; cur_seq bigint; cur_hash text; cur_new boolean; pay text;
  who text := ''; why text := ''; stamp timestamptz := now();
  l_oid text[] := '{}'; l_seq bigint[] := '{}'; l_rid bigint[] := '{}';
  l_lay integer[] := '{}'; l_kind text[] := '{}'; l_prev text[] := '{}';
  l_pay text[] := '{}'; l_hash text[] := '{}'; l_rem text[] := '{}'; l_now text[] := '{}';
  h_id bigint[] := '{}'; h_seq bigint[] := '{}'; h_hash text[] := '{}'; cur_id bigint;
  n_oid text[] := '{}'; n_seq bigint[] := '{}'; n_hash text[] := '{}';
  lost text[];
BEGIN
  IF coalesce(array_length(oids, 1), 0) = 0 THEN RETURN; END IF;
  IF removed IS NOT NULL THEN
    SELECT actor, reason INTO who, why FROM common_historyrewrite
     WHERE txid = pg_current_xact_id()::text::bigint;
    who := coalesce(who, current_user::text); why := coalesce(why, 'unrecorded');
  END IF;
  FOR r IN
    SELECT u.o, u.r, u.l, u.p, u.rm, u.nw, h.id AS hid, h.seq AS hseq, h.hash AS hhash
    FROM (SELECT * FROM unnest(oids, rids, layouts, payloads, removed, nows) WITH ORDINALITY
            AS u(o, r, l, p, rm, nw, n) ORDER BY u.o COLLATE "C", u.n OFFSET 0) u
    LEFT JOIN LATERAL (SELECT ch.id, ch.seq, ch.hash FROM common_chainhead ch
                        WHERE ch.table_name = tbl COLLATE "C"
                          AND ch.object_id = u.o COLLATE "C" FOR UPDATE) h ON true
    ORDER BY u.o COLLATE "C", u.n
  LOOP
    IF cur_obj IS DISTINCT FROM r.o THEN
      IF cur_new THEN
        n_oid := n_oid || cur_obj; n_seq := n_seq || cur_seq; n_hash := n_hash || cur_hash;
      ELSIF cur_obj IS NOT NULL THEN
        h_id := h_id || cur_id; h_seq := h_seq || cur_seq; h_hash := h_hash || cur_hash;
      END IF;
      cur_obj := r.o; cur_new := r.hseq IS NULL; cur_id := r.hid;
      cur_seq := coalesce(r.hseq, 0); cur_hash := coalesce(r.hhash, repeat('0', 64));
    END IF;
    cur_seq := cur_seq + 1;
    l_oid := l_oid || r.o; l_seq := l_seq || cur_seq; l_rid := l_rid || r.r;
    l_lay := l_lay || r.l; l_prev := l_prev || cur_hash;
    IF r.rm IS NULL THEN
      pay := r.p;
      l_kind := l_kind || 'row'::text; l_rem := l_rem || ''::text; l_now := l_now || ''::text;
    ELSE
      pay := audit_chain_tombstone_hash(r.r, r.rm, r.nw, who, why, stamp);
      l_kind := l_kind || 'rewrite'::text; l_rem := l_rem || r.rm; l_now := l_now || r.nw;
    END IF;
    l_pay := l_pay || pay;
    cur_hash := audit_chain_hash(cur_hash || pay);
    l_hash := l_hash || cur_hash;
  END LOOP;
  IF cur_new THEN
    n_oid := n_oid || cur_obj; n_seq := n_seq || cur_seq; n_hash := n_hash || cur_hash;
  ELSE
    h_id := h_id || cur_id; h_seq := h_seq || cur_seq; h_hash := h_hash || cur_hash;
  END IF;
  -- A new chain's head is inserted once, with its end (no placeholder locked and rewritten).
  WITH made AS (
    INSERT INTO common_chainhead (table_name, object_id, seq, hash)
      SELECT tbl, u.o, u.s, u.h FROM unnest(n_oid, n_seq, n_hash) AS u(o, s, h)
      ON CONFLICT (table_name, object_id) DO NOTHING RETURNING object_id)
  SELECT array_agg(o) INTO lost FROM unnest(n_oid) AS o
   WHERE o NOT IN (SELECT object_id FROM made);
  INSERT INTO common_chainlink (table_name, object_id, seq, kind, row_id, layout_id, prev_hash,
                                payload_hash, hash, at, removed_hash, now_hash, actor, reason)
    SELECT tbl, u.o, u.s, u.k, u.r, u.l, u.p, u.y, u.h, stamp, u.rm, u.nw,
           CASE WHEN u.k = 'rewrite' THEN who ELSE '' END,
           CASE WHEN u.k = 'rewrite' THEN why ELSE '' END
    FROM unnest(l_oid, l_seq, l_kind, l_rid, l_lay, l_prev, l_pay, l_hash, l_rem, l_now)
         AS u(o, s, k, r, l, p, y, h, rm, nw)
    WHERE lost IS NULL OR NOT u.o = ANY(lost);
  -- Only when a chain existed, and by the heads' keys as locked: joined on the unique index,
  -- the planner's nested loop read every head of the table through its table_name prefix
  -- (25,000 heads: ~10 ms a statement, even with no head to move: each API create's).
  IF cardinality(h_id) > 0 THEN
    UPDATE common_chainhead ch SET seq = u.s, hash = u.h
      FROM unnest(h_id, h_seq, h_hash) AS u(i, s, h) WHERE ch.id = u.i;
  END IF;
  IF lost IS NOT NULL THEN
    -- Another transaction started these chains first (committed since this one looked):
    -- appended to as existing chains, locked in their turn.
    PERFORM audit_chain_extend(
        tbl, array_agg(u.l ORDER BY u.n), array_agg(u.o ORDER BY u.n),
        array_agg(u.r ORDER BY u.n), array_agg(u.p ORDER BY u.n), array_agg(u.rm ORDER BY u.n),
        array_agg(u.nw ORDER BY u.n))
      FROM unnest(oids, rids, layouts, payloads, removed, nows) WITH ORDINALITY
           AS u(o, r, l, p, rm, nw, n)
     WHERE u.o = ANY(lost);
  END IF;
END;
$$;
"""
EXTEND = _HEADER.format(stable=STABLE_CLAUSE) + _BODY
