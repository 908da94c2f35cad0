// The plpgsql functions that make every trial operation ONE round trip, (re)created by migrate() after
// the tables reach their latest version. Custom SQLSTATEs are mapped to sweep errors in connection.ts.
//
// Durability: creating, claiming, params and reports commit without waiting for the disk
// (set_config('synchronous_commit', 'off', true) for their own transaction): a later durable write
// completes them (a trial's finish; the log is flushed in order), only a server crash before it can
// lose them, and their locks go at commit, not after a flush. A finish commits durably (the
// session's setting), holding only its own trial's rows meanwhile, so concurrent finishes share a flush.
//
// No operation but creating a trial takes a lock shared by the study. Each change of a trial row
// stores the writing transaction's id (`xid`) and a fresh `seq` from trial_seq, taken after the
// row's own lock, so the versions of one trial are in seq order. Readers sync by transaction id
// (PgStore.syncTrials): all writers run in parallel, and none waits for another one's disk flush.

export const FUNCTIONS = `
  CREATE OR REPLACE FUNCTION sweep_now() RETURNS BIGINT LANGUAGE sql VOLATILE AS
    $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT $$;

  -- Params (immutable), tags and metrics of one run; the latest value of a metric by step, then
  -- timestamp, then value, as the SQLite store keeps it.
  CREATE OR REPLACE FUNCTION sweep_write_batch(p_run TEXT, p_pk TEXT[], p_pv TEXT[], p_tk TEXT[], p_tv TEXT[],
      p_mk TEXT[], p_mv FLOAT8[], p_ms BIGINT[], p_mt BIGINT[]) RETURNS VOID LANGUAGE plpgsql AS $$
  DECLARE v_old TEXT; i INT; v FLOAT8; nan INT;
  BEGIN
    PERFORM 1 FROM runs WHERE run_id = p_run;
    IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'SWNFD', MESSAGE = format('run %s does not exist', p_run); END IF;
    FOR i IN 1 .. coalesce(array_length(p_pk, 1), 0) LOOP
      INSERT INTO params AS p (run_id, key, value) VALUES (p_run, p_pk[i], p_pv[i])
        ON CONFLICT (run_id, key) DO UPDATE SET value = p.value RETURNING p.value INTO v_old;
      IF v_old <> p_pv[i] THEN
        RAISE EXCEPTION USING ERRCODE = 'SWIMM',
          MESSAGE = format('param "%s" of run %s is already "%s" and cannot change to "%s"', p_pk[i], p_run, v_old, p_pv[i]);
      END IF;
    END LOOP;
    IF coalesce(array_length(p_tk, 1), 0) > 0 THEN
      INSERT INTO tags (run_id, key, value) SELECT p_run, k, tv FROM unnest(p_tk, p_tv) AS u(k, tv)
        ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value;
    END IF;
    FOR i IN 1 .. coalesce(array_length(p_mk, 1), 0) LOOP
      v := p_mv[i];
      nan := CASE WHEN v = 'NaN'::FLOAT8 THEN 1 ELSE 0 END;
      IF nan = 1 THEN v := NULL; END IF;
      -- A point identical to one already logged is not kept twice (a retried batch; MLflow's primary key).
      INSERT INTO metrics (run_id, key, step, timestamp, value, is_nan) SELECT p_run, p_mk[i], p_ms[i], p_mt[i], v, nan
        WHERE NOT EXISTS (SELECT 1 FROM metrics WHERE run_id = p_run AND key = p_mk[i] AND step = p_ms[i]
          AND timestamp = p_mt[i] AND is_nan = nan AND value IS NOT DISTINCT FROM v);
      INSERT INTO latest_metrics AS l (run_id, key, step, timestamp, value, is_nan) VALUES (p_run, p_mk[i], p_ms[i], p_mt[i], v, nan)
        ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value, is_nan = excluded.is_nan
        WHERE excluded.step > l.step
           OR (excluded.step = l.step AND excluded.timestamp > l.timestamp)
           OR (excluded.step = l.step AND excluded.timestamp = l.timestamp AND (excluded.is_nan > l.is_nan OR excluded.value >= l.value));
    END LOOP;
  END $$;

  CREATE OR REPLACE FUNCTION sweep_trial_or_fail(p_trial BIGINT) RETURNS trials LANGUAGE plpgsql AS $$
  DECLARE t trials;
  BEGIN
    SELECT * INTO t FROM trials WHERE trial_id = p_trial FOR UPDATE;
    IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'SWNFD', MESSAGE = format('trial %s does not exist', p_trial); END IF;
    RETURN t;
  END $$;

  -- Claims the next number, creates the child run and the trial, and stores params sampled for the
  -- expected number. Creations of one study take turns on the study row (its next_number, the only
  -- column anything updates; released at a commit that does not wait for the disk): numbers, claim
  -- keys and the budget are exact.
  CREATE OR REPLACE FUNCTION sweep_create_trial(p_study BIGINT, p_state TEXT, p_start BIGINT, p_worker TEXT, p_claim TEXT,
      p_attrs TEXT, p_expected INT, p_values TEXT, p_dists TEXT, p_lk TEXT[], p_lv TEXT[], p_max INT,
      p_token TEXT, p_run TEXT, p_user TEXT) RETURNS SETOF trials LANGUAGE plpgsql AS $$
  DECLARE s studies; n INT; t trials; start_ms BIGINT; loc TEXT; rname TEXT; sampled BOOLEAN;
  BEGIN
    PERFORM set_config('synchronous_commit', 'off', true); -- commit without waiting for the disk (see above)
    IF p_token IS NOT NULL THEN
      SELECT * INTO t FROM trials WHERE create_token = p_token;
      IF FOUND THEN RETURN NEXT t; RETURN; END IF;
    END IF;
    -- A refusal below rolls the number back with the rest.
    UPDATE studies SET next_number = next_number + 1 WHERE study_id = p_study RETURNING * INTO s;
    IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'SWNFD', MESSAGE = format('study %s does not exist', p_study); END IF;
    n := s.next_number - 1;
    IF p_claim IS NOT NULL AND EXISTS (SELECT 1 FROM trials WHERE study_id = p_study AND claim_key = p_claim) THEN
      RAISE EXCEPTION USING ERRCODE = 'SWDUP', MESSAGE = format('study "%s": claim %s is already held', s.name, p_claim);
    END IF;
    IF p_max IS NOT NULL AND n >= p_max THEN
      RAISE EXCEPTION USING ERRCODE = 'SWBUD', MESSAGE = format('study "%s" already has %s trials (max %s)', s.name, n, p_max);
    END IF;
    start_ms := coalesce(p_start, sweep_now());
    rname := s.name || '-' || n;
    SELECT artifact_location INTO loc FROM experiments WHERE experiment_id = s.experiment_id;
    INSERT INTO runs (run_id, experiment_id, name, status, start_time, end_time, lifecycle_stage, artifact_uri, user_id, parent_run_id)
      VALUES (p_run, s.experiment_id, rname, CASE WHEN p_state = 'WAITING' THEN 'SCHEDULED' ELSE 'RUNNING' END, start_ms, NULL,
        'active', rtrim(loc, '/') || '/' || p_run || '/artifacts', p_user, s.parent_run_id);
    INSERT INTO tags (run_id, key, value) VALUES (p_run, 'sweep.study', s.name), (p_run, 'sweep.trial', n::TEXT),
      (p_run, 'sweep.role', 'trial'), (p_run, 'mlflow.runName', rname), (p_run, 'mlflow.parentRunId', s.parent_run_id);
    IF p_user <> '' THEN INSERT INTO tags (run_id, key, value) VALUES (p_run, 'mlflow.user', p_user); END IF;
    sampled := coalesce(array_length(p_lk, 1), 0) > 0 AND (p_expected IS NULL OR p_expected = n);
    IF sampled THEN
      -- A new run has no params: one insert, nothing to compare.
      INSERT INTO params (run_id, key, value) SELECT p_run, k, v FROM unnest(p_lk, p_lv) AS u(k, v);
    END IF;
    INSERT INTO trials (study_id, number, run_id, state, params, distributions, system_attrs, start_time, heartbeat, worker_id, claim_key,
        seq, create_token)
      VALUES (p_study, n, p_run, p_state, CASE WHEN sampled THEN p_values ELSE '{}' END, CASE WHEN sampled THEN p_dists ELSE '{}' END,
        p_attrs, start_ms, start_ms, p_worker, p_claim, nextval('trial_seq'), p_token) RETURNING * INTO t;
    RETURN NEXT t;
  END $$;

  -- WAITING -> RUNNING for one claimer: rows another claimer holds are skipped, not waited for.
  CREATE OR REPLACE FUNCTION sweep_claim_waiting(p_study BIGINT, p_worker TEXT) RETURNS SETOF trials LANGUAGE plpgsql AS $$
  DECLARE t trials; now_ms BIGINT := sweep_now();
  BEGIN
    PERFORM set_config('synchronous_commit', 'off', true); -- commit without waiting for the disk (see above)
    SELECT * INTO t FROM trials WHERE study_id = p_study AND state = 'WAITING' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
      -- Nothing to claim: an unknown study says so (the store contract's NotFoundError), in the same call.
      IF NOT EXISTS (SELECT 1 FROM studies WHERE study_id = p_study) THEN
        RAISE EXCEPTION USING ERRCODE = 'SWNFD', MESSAGE = format('study %s does not exist', p_study);
      END IF;
      RETURN;
    END IF;
    UPDATE runs SET status = 'RUNNING', end_time = NULL WHERE run_id = t.run_id;
    UPDATE trials SET state = 'RUNNING', worker_id = p_worker, start_time = now_ms, heartbeat = now_ms,
      seq = nextval('trial_seq'), xid = pg_current_xact_id() WHERE trial_id = t.trial_id RETURNING * INTO t;
    RETURN NEXT t;
  END $$;

  CREATE OR REPLACE FUNCTION sweep_set_trial_params(p_trial BIGINT, p_values TEXT, p_dists TEXT, p_lk TEXT[], p_lv TEXT[])
      RETURNS VOID LANGUAGE plpgsql AS $$
  DECLARE t trials := sweep_trial_or_fail(p_trial);
  BEGIN
    PERFORM set_config('synchronous_commit', 'off', true); -- commit without waiting for the disk (see above)
    PERFORM sweep_write_batch(t.run_id, p_lk, p_lv, NULL, NULL, NULL, NULL, NULL, NULL);
    UPDATE trials SET params = (params::JSONB || p_values::JSONB)::TEXT, distributions = (distributions::JSONB || p_dists::JSONB)::TEXT,
      seq = nextval('trial_seq'), xid = pg_current_xact_id() WHERE trial_id = p_trial;
  END $$;

  -- Intermediate values (also the study metric's history on the run), metrics, tags, heartbeat.
  CREATE OR REPLACE FUNCTION sweep_trial_progress(p_trial BIGINT, p_is BIGINT[], p_iv FLOAT8[], p_it BIGINT[], p_ijson TEXT,
      p_mk TEXT[], p_mv FLOAT8[], p_ms BIGINT[], p_mt BIGINT[], p_tk TEXT[], p_tv TEXT[], p_heartbeat BIGINT)
      RETURNS VOID LANGUAGE plpgsql AS $$
  DECLARE t trials := sweep_trial_or_fail(p_trial); v_metric TEXT;
  BEGIN
    PERFORM set_config('synchronous_commit', 'off', true); -- commit without waiting for the disk (see above)
    SELECT s.metric INTO v_metric FROM studies s WHERE s.study_id = t.study_id;
    PERFORM sweep_write_batch(t.run_id, NULL, NULL, p_tk, p_tv,
      coalesce(p_mk, '{}') || array_fill(v_metric, ARRAY[coalesce(array_length(p_is, 1), 0)]),
      coalesce(p_mv, '{}') || coalesce(p_iv, '{}'), coalesce(p_ms, '{}') || coalesce(p_is, '{}'), coalesce(p_mt, '{}') || coalesce(p_it, '{}'));
    UPDATE trials SET intermediate = (intermediate::JSONB || p_ijson::JSONB)::TEXT,
      heartbeat = CASE WHEN p_heartbeat IS NULL THEN heartbeat ELSE greatest(coalesce(heartbeat, 0), p_heartbeat) END,
      seq = nextval('trial_seq'), xid = pg_current_xact_id() WHERE trial_id = p_trial;
  END $$;

  -- Ends a trial, compare-and-set from RUNNING or WAITING: false when someone else ended it (or its
  -- heartbeat is not older than p_hb_before); true again for a retry of the same finish (p_token).
  -- Only the trial's own rows are locked; a finish that may be the parent run's new best also takes
  -- the parent run's row and compares again under it, so the best is exact without making every
  -- finish of the study wait for the others.
  CREATE OR REPLACE FUNCTION sweep_finish_trial(p_trial BIGINT, p_state TEXT, p_value FLOAT8, p_end BIGINT, p_attrs TEXT, p_token TEXT,
      p_hb_before BIGINT, p_run_status TEXT, p_mk TEXT[], p_mv FLOAT8[], p_ms BIGINT[], p_mt BIGINT[], p_tk TEXT[], p_tv TEXT[],
      p_values TEXT, p_dists TEXT, p_lk TEXT[], p_lv TEXT[], p_is BIGINT[], p_iv FLOAT8[], p_it BIGINT[], p_ijson TEXT,
      p_objectives TEXT)
      RETURNS BOOLEAN LANGUAGE plpgsql AS $$
  DECLARE t trials := sweep_trial_or_fail(p_trial); s studies; end_ms BIGINT; v_step BIGINT; v_ts BIGINT;
    im JSONB; n_obj INT; i INT; v_key TEXT;
    mk TEXT[] := coalesce(p_mk, '{}'); mv FLOAT8[] := coalesce(p_mv, '{}'); ms BIGINT[] := coalesce(p_ms, '{}'); mt BIGINT[] := coalesce(p_mt, '{}');
  BEGIN
    IF t.state NOT IN ('RUNNING', 'WAITING') THEN RETURN p_token IS NOT NULL AND t.finish_token = p_token; END IF;
    IF p_hb_before IS NOT NULL AND coalesce(t.heartbeat, 0) >= p_hb_before THEN RETURN FALSE; END IF;
    SELECT * INTO s FROM studies WHERE study_id = t.study_id;
    -- Several objectives: a COMPLETE finish carries one value per objective (the caller checked what it could
    -- without the study: the arity is checked here, against the study's directions).
    n_obj := json_array_length(s.directions::JSON);
    IF p_state = 'COMPLETE' AND (n_obj > 1 OR p_objectives IS NOT NULL)
        AND (p_objectives IS NULL OR json_array_length(p_objectives::JSON) <> n_obj) THEN
      RAISE EXCEPTION 'trial #% cannot be COMPLETE without % finite values, got %', t.number, n_obj, coalesce(p_objectives, 'null')
        USING ERRCODE = 'SWTRN';
    END IF;
    IF coalesce(array_length(p_lk, 1), 0) > 0 THEN
      PERFORM sweep_write_batch(t.run_id, p_lk, p_lv, NULL, NULL, NULL, NULL, NULL, NULL);
      t.params := (t.params::JSONB || p_values::JSONB)::TEXT;
      t.distributions := (t.distributions::JSONB || p_dists::JSONB)::TEXT;
    END IF;
    im := t.intermediate::JSONB;
    IF coalesce(array_length(p_is, 1), 0) > 0 THEN
      PERFORM sweep_write_batch(t.run_id, NULL, NULL, NULL, NULL, array_fill(s.metric, ARRAY[array_length(p_is, 1)]), p_iv, p_is, p_it);
      im := im || p_ijson::JSONB;
    END IF;
    end_ms := greatest(coalesce(p_end, sweep_now()), t.start_time);
    IF p_value IS NOT NULL THEN
      SELECT coalesce(max(k::BIGINT), 0) INTO v_step FROM jsonb_object_keys(im) AS k;
      SELECT greatest(end_ms, coalesce(max(m.timestamp), 0) + 1) INTO v_ts FROM metrics m WHERE m.run_id = t.run_id AND m.key = s.metric;
      mk := mk || s.metric; mv := mv || p_value; ms := ms || v_step; mt := mt || v_ts;
      -- The other objectives, each under its own metric name.
      IF n_obj > 1 THEN
        FOR i IN 1 .. n_obj - 1 LOOP
          v_key := coalesce(s.metrics::JSON ->> i, s.metric || '_' || i);
          SELECT greatest(end_ms, coalesce(max(m.timestamp), 0) + 1) INTO v_ts FROM metrics m WHERE m.run_id = t.run_id AND m.key = v_key;
          mk := mk || v_key; mv := mv || (p_objectives::JSON ->> i)::FLOAT8; ms := ms || v_step; mt := mt || v_ts;
        END LOOP;
      END IF;
    END IF;
    PERFORM sweep_write_batch(t.run_id, NULL, NULL, coalesce(p_tk, '{}') || 'sweep.state'::TEXT, coalesce(p_tv, '{}') || p_state, mk, mv, ms, mt);
    UPDATE runs SET status = p_run_status, end_time = end_ms WHERE run_id = t.run_id;
    -- The parent run tracks the best of one objective; with several, the trial runner logs the front.
    -- An infeasible trial (a constraint > 0, or one that is not a number) is never the best.
    IF p_state = 'COMPLETE' AND p_value IS NOT NULL AND n_obj = 1 AND NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_attrs::JSONB -> 'constraints') = 'array'
          THEN p_attrs::JSONB -> 'constraints' ELSE '[]'::JSONB END) AS c(v)
        WHERE jsonb_typeof(c.v) <> 'number' OR (c.v)::TEXT::FLOAT8 > 0)
        AND sweep_beats_best(s, p_value) THEN
      PERFORM 1 FROM runs WHERE run_id = s.parent_run_id FOR NO KEY UPDATE;
      IF sweep_beats_best(s, p_value) THEN
        -- At the trial's number, or after the current best's point when that is at a higher step, so the
        -- new best is the metric's latest point (store-rules.ts bestPoint).
        SELECT greatest(t.number, l.step), greatest(end_ms, l.timestamp + 1) INTO v_step, v_ts
          FROM latest_metrics l WHERE l.run_id = s.parent_run_id AND l.key = s.metric;
        IF NOT FOUND THEN v_step := t.number; v_ts := end_ms; END IF;
        PERFORM sweep_write_batch(s.parent_run_id, NULL, NULL, ARRAY['sweep.best_trial'], ARRAY[t.number::TEXT],
          ARRAY[s.metric], ARRAY[p_value], ARRAY[v_step], ARRAY[v_ts]);
      END IF;
    END IF;
    UPDATE trials SET state = p_state, value = p_value, objective_values = p_objectives, end_time = end_ms, system_attrs = (system_attrs::JSONB || p_attrs::JSONB)::TEXT,
      params = t.params, distributions = t.distributions, intermediate = im::TEXT, finish_token = p_token,
      seq = nextval('trial_seq'), xid = pg_current_xact_id() WHERE trial_id = p_trial;
    RETURN TRUE;
  END $$;

  -- Whether p_value beats the parent run's best so far (its latest value of the study's metric), as
  -- committed when called: called once without a lock and again under the parent run's row lock.
  CREATE OR REPLACE FUNCTION sweep_beats_best(s studies, p_value FLOAT8) RETURNS BOOLEAN LANGUAGE plpgsql VOLATILE AS $$
  DECLARE best_value FLOAT8; best_nan INT;
  BEGIN
    SELECT l.value, l.is_nan INTO best_value, best_nan FROM latest_metrics l WHERE l.run_id = s.parent_run_id AND l.key = s.metric;
    RETURN NOT FOUND OR best_nan = 1 OR best_value IS NULL
      OR (CASE WHEN s.directions LIKE '["maximize"%' THEN p_value > best_value ELSE p_value < best_value END);
  END $$;
`;
