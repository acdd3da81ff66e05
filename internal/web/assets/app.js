// The fact-checkers' page: search quotes, read one inside its article with
// the attribution's evidence marked, verify a claimed quote, upload articles.
// Every API URL is relative, so the page works wherever the API is mounted.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  // el builds an element; children are nodes or strings (as text, never
  // as HTML, so nothing from an article can inject markup).
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  const enc = encodeURIComponent;

  class APIError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(path, init) {
    // Answers may be cached for a minute; the page revalidates every time
    // (a 304 when unchanged) so that an article just uploaded shows at once.
    const res = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-cache', ...init });
    const text = await res.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (_) {
      body = null;
    }
    if (!res.ok) {
      const detail = body && body.error ? body.error : {};
      throw new APIError(res.status, detail.code || '', detail.message || `${res.status} ${res.statusText}`);
    }
    return body;
  }

  // --- messages -----------------------------------------------------------

  function announce(message) {
    $('status').textContent = message;
  }

  function showProblem(message) {
    const box = $('problem');
    box.textContent = message;
    box.hidden = !message;
  }

  function failed(what, err) {
    showProblem(`${what}: ${err.message}`);
  }

  // --- formatting ---------------------------------------------------------

  function formatDate(value) {
    if (!value) return '';
    const d = new Date(value);
    if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1000) return '';
    return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  }

  function timeEl(value) {
    const text = formatDate(value);
    return text ? el('time', { datetime: value, text }) : null;
  }

  // quoteDate is a quote's date as the page shows it: an upload date says
  // so, since it is not when the words were said.
  function quoteDate(q) {
    const time = timeEl(q.date);
    if (!time) return null;
    return q.date_source === 'uploaded'
      ? [' · ', el('span', { class: 'uploaded', title: 'The article carries no publication date; this is when it was uploaded' }, 'uploaded ', time)]
      : [' · ', time];
  }

  function percent(x) {
    return `${Math.round((Number(x) || 0) * 100)}%`;
  }

  const kindNames = {
    person: 'people',
    organization: 'organisations',
    anonymous: 'anonymous sources',
    unknown: 'unattributed speakers',
  };

  const kindBadges = {
    anonymous: 'anonymous source',
    organization: 'organisation',
    unknown: 'unattributed',
  };

  function kindBadge(kind) {
    const label = kindBadges[kind];
    return label ? el('span', { class: `badge badge-${kind}`, text: label }) : null;
  }

  // speakerLine names the speaker, marks an anonymous source as such and
  // adds the description the article gives.
  function speakerLine(speaker, linkToSearch) {
    const s = speaker || {};
    const name = s.name || 'Unattributed';
    const nameNode = linkToSearch && s.id
      ? el('a', { class: 'speaker-name', href: searchHash({ mode: 'speaker', query: name, id: s.id }) }, name)
      : el('span', { class: 'speaker-name' }, name);
    const descriptor = s.descriptor && s.descriptor.toLowerCase() !== name.toLowerCase()
      ? el('span', { class: 'descriptor' }, s.descriptor)
      : null;
    return el('span', { class: 'speaker' }, nameNode, ' ', kindBadge(s.kind), descriptor ? [' ', descriptor] : null);
  }

  const ruleExplanations = {
    'quote-speaker-verb': 'speaker and verb after the quote (“…,” Kerry said)',
    'quote-verb-speaker': 'verb and speaker after the quote (“…,” said Kerry)',
    'according-to': '“according to” after the quote',
    'quote-dash-speaker': 'speaker after a dash (“…” — Kerry)',
    'speaker-verb-quote': 'speaker and verb before the quote (Kerry said: “…”)',
    'reported-speech': 'words quoted inside reported speech (Kerry called it “…”)',
    'runs-on': 'the speaker’s quote continues in the next paragraph',
    'follows-quote': 'no cue; follows a quote by the same speaker',
    'previous-sentence': 'the speaker is the subject of the previous sentence',
    'named-before': 'the speaker is named just before the quote',
    'subject-colon-quote': 'the speaker is the subject before a colon (Clinton apologized: “…”)',
    none: 'no attribution found',
  };

  // --- byte offsets -------------------------------------------------------

  // markUp renders text with spans given in UTF-8 byte offsets, as the API
  // gives them. Spans that overlap an earlier (higher-priority) one are
  // left out, so each mark stays one element with the whole of its text.
  function markUp(text, spans) {
    const bytes = new TextEncoder().encode(text);
    const decoder = new TextDecoder();
    const kept = [];
    for (const span of spans) {
      if (!(span.start >= 0 && span.end > span.start && span.end <= bytes.length)) continue;
      if (kept.some((k) => span.start < k.end && k.start < span.end)) continue;
      kept.push(span);
    }
    kept.sort((a, b) => a.start - b.start);
    const out = [];
    let at = 0;
    for (const span of kept) {
      if (span.start > at) out.push(decoder.decode(bytes.subarray(at, span.start)));
      out.push(span.render(decoder.decode(bytes.subarray(span.start, span.end))));
      at = span.end;
    }
    if (at < bytes.length) out.push(decoder.decode(bytes.subarray(at)));
    return out;
  }

  // --- views --------------------------------------------------------------

  const views = ['search', 'quote', 'verify', 'upload', 'article'];

  function showView(name) {
    for (const v of views) $(`view-${v}`).hidden = v !== name;
    const section = name === 'quote' ? 'search' : name;
    for (const link of document.querySelectorAll('[data-nav]')) {
      if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  function decode(s) {
    try {
      return decodeURIComponent(s);
    } catch (_) {
      return s; // a hand-typed link with a stray %
    }
  }

  function parseHash() {
    const hash = decode(location.hash.replace(/^#/, '').split('?')[0]);
    const query = new URLSearchParams(location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?') + 1) : '');
    const slash = hash.indexOf('/');
    return slash < 0
      ? { view: hash || 'search', arg: '', query }
      : { view: hash.slice(0, slash), arg: hash.slice(slash + 1), query };
  }

  // routeSeq numbers navigations, so an answer that arrives after the
  // reader has moved on is dropped rather than drawn over the new view.
  let routeSeq = 0;

  async function route() {
    const seq = ++routeSeq;
    showProblem('');
    const { view, arg, query } = parseHash();
    switch (view) {
      case 'quote':
        showView('quote');
        await showQuote(arg, seq);
        return;
      case 'article':
        showView('article');
        await showArticle(arg, seq);
        return;
      case 'verify':
        showView('verify');
        return;
      case 'upload':
        showView('upload');
        return;
      default:
        showView('search');
        await searchFromHash(query);
    }
  }

  // --- search -------------------------------------------------------------

  function searchHash(s) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(s)) if (v) p.set(k, v);
    return `#search?${p}`;
  }

  const search = {
    hash: '', // the location.hash the shown results belong to
    params: null, // the API parameters of the shown results
    cursor: '',
    shown: 0,
    limit: 20,
    generation: 0, // bumped by each new search, to drop late answers to an old one
  };

  function fold(s) {
    return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
  }

  // words splits a name or query into folded words, for whole-word
  // comparison ("Kerry" is a word of "John Kerry", "Russia" is not one of
  // "Russia’s foreign ministry").
  function words(s) {
    return fold(s).split(/\s+/).filter(Boolean);
  }

  // interpret turns what was typed into API parameters. "Anything" prefers
  // a person named so (a fact-checker typing a name wants what they said),
  // then a topic of that name, then any speaker whose name starts so, and
  // falls back to the words.
  async function interpret(mode, query, kind) {
    const base = kind ? { speaker_kind: kind } : {};
    switch (mode) {
      case 'speaker':
        return { params: { ...base, speaker: query } };
      case 'topic':
        return { params: { ...base, topic: query } };
      case 'q':
        return { params: { ...base, q: query } };
    }
    let topic = null;
    try {
      const { topics } = await api(`topics?q=${enc(query)}`);
      topic = (topics || []).find((t) => fold(t.topic) === fold(query)) || null;
    } catch (_) {
      // Without a topics listing, a topic can still be searched explicitly.
    }
    const { speakers } = await api(`speakers?q=${enc(query)}&limit=6`);
    const candidates = (speakers || []).filter((s) => !kind || s.kind === kind);
    const wanted = words(query);
    const named = candidates.find((s) => wanted.every((w) => words(s.name).includes(w)));
    const bySpeaker = (s) => ({
      params: { ...base, speaker: s.id },
      guess: { as: 'speaker', label: s.name, others: candidates.filter((c) => c !== s), topic },
    });
    if (named && (named.kind === 'person' || !topic)) return bySpeaker(named);
    if (topic) return { params: { ...base, topic: topic.topic }, guess: { as: 'topic', label: topic.topic, others: candidates } };
    if (candidates.length > 0) return bySpeaker(candidates[0]);
    return { params: { ...base, q: query }, guess: { as: 'words', label: query } };
  }

  function showInterpretation(query, kind, guess) {
    const box = $('search-interpretation');
    box.replaceChildren();
    box.hidden = !guess;
    if (!guess) return;
    const alt = (mode, text) => el('a', { href: searchHash({ mode, query, speaker_kind: kind }) }, text);
    const instead = [];
    if (guess.as !== 'topic' && guess.topic) instead.push(alt('topic', `quotes on the topic ${guess.topic.topic}`));
    if (guess.as !== 'words' && guess.as !== 'kind') instead.push(alt('q', `quotes containing “${query}”`));
    const lead = {
      topic: ['Quotes on the topic ', el('strong', {}, guess.label), '.'],
      speaker: ['Quotes by ', el('strong', {}, guess.label), '.'],
      words: ['Quotes containing the words ', el('strong', {}, `“${guess.label}”`), '.'],
      kind: ['All quotes of ', el('strong', {}, guess.label), '.'],
    }[guess.as];
    box.append(el('p', {}, lead, instead.length ? [' Or see ', instead.map((a, i) => [i ? ' or ' : '', a]), '.'] : null));
    const others = guess.others || [];
    if (others.length > 0) {
      box.append(el('p', {}, guess.as === 'speaker' ? 'Other speakers: ' : 'Speakers: ',
        others.map((s, i) => [i ? ', ' : '',
          el('a', { href: searchHash({ mode: 'speaker', query: s.name, id: s.id, speaker_kind: kind }) }, s.name),
          ` (${s.quote_count})`])));
    }
  }

  async function searchFromHash(query) {
    const mode = query.get('mode') || 'auto';
    const text = query.get('query') || '';
    const kind = query.get('speaker_kind') || '';
    $('search-mode').value = mode;
    $('search-input').value = text;
    $('search-kind').value = kind;
    if (!text && !kind) {
      resetResults();
      await showStart();
      return;
    }
    if (search.hash === location.hash) return; // coming back to the same results
    resetResults();
    search.hash = location.hash;
    search.limit = Math.min(100, Math.max(1, Number.parseInt(query.get('limit'), 10) || 20));
    const generation = search.generation;
    try {
      let interpretation;
      if (query.get('id')) interpretation = { params: { speaker: query.get('id'), ...(kind ? { speaker_kind: kind } : {}) } };
      else if (!text) interpretation = { params: { speaker_kind: kind }, guess: { as: 'kind', label: kindNames[kind] || kind } };
      else interpretation = await interpret(mode, text, kind);
      if (generation !== search.generation) return;
      showInterpretation(text, kind, interpretation.guess);
      search.params = interpretation.params;
      await loadResults();
    } catch (err) {
      if (generation !== search.generation) return;
      search.hash = '';
      failed('The search failed', err);
    }
  }

  function resetResults() {
    search.generation++;
    search.hash = '';
    search.params = null;
    search.cursor = '';
    search.shown = 0;
    $('results').replaceChildren();
    $('results').setAttribute('aria-busy', 'false');
    $('results-empty').hidden = true;
    $('more').hidden = true;
    $('search-interpretation').hidden = true;
    $('speaker-card').hidden = true;
    $('start').hidden = true;
  }

  // showStart offers starting points before any search: the most quoted
  // speakers and the commonest topics.
  async function showStart() {
    const box = $('start');
    let speakers = [];
    let topics = [];
    try {
      [speakers, topics] = await Promise.all([
        api('speakers?limit=12').then((r) => r.speakers || []),
        api('topics').then((r) => r.topics || []).catch(() => []),
      ]);
    } catch (err) {
      failed('The speakers could not be listed', err);
      return;
    }
    if (parseHash().query.get('query') || parseHash().query.get('speaker_kind')) return; // a search started meanwhile
    const block = (title, items) => el('section', { class: 'start-block' }, el('h2', {}, title), el('ul', { class: 'chips' }, items));
    box.replaceChildren(...[
      speakers.length === 0
        ? el('p', {}, 'No articles yet. ', el('a', { href: '#upload' }, 'Add articles'), ' to search their quotes.')
        : block('Most quoted', speakers.map((s) => el('li', {},
          el('a', { href: searchHash({ mode: 'speaker', query: s.name, id: s.id }) }, s.name, ' ', kindBadge(s.kind), el('span', { class: 'count' }, String(s.quote_count)))))),
      topics.length === 0 ? null : block('Topics', topics.slice(0, 16).map((t) => el('li', {},
        el('a', { href: searchHash({ mode: 'topic', query: t.topic }) }, t.topic, el('span', { class: 'count' }, String(t.quote_count)))))),
    ].filter(Boolean));
    box.hidden = false;
  }

  async function loadResults() {
    const p = new URLSearchParams(search.params);
    p.set('limit', String(search.limit));
    if (search.cursor) p.set('cursor', search.cursor);
    const list = $('results');
    list.setAttribute('aria-busy', 'true');
    const first = search.shown === 0;
    const generation = search.generation;
    try {
      const page = await api(`quotes?${p}`);
      if (generation !== search.generation) return;
      const quotes = page.quotes || [];
      const items = quotes.map(resultItem);
      list.append(...items);
      search.shown += quotes.length;
      search.cursor = page.next_cursor || '';
      $('more').hidden = !search.cursor;
      $('results-empty').hidden = search.shown > 0;
      announce(search.shown === 0 ? 'No quotes match.'
        : `${search.shown} quote${search.shown === 1 ? '' : 's'} shown${search.cursor ? '; more available' : ''}.`);
      if (!first && items.length > 0) items[0].querySelector('a.quote-link').focus();
      if (first && search.params.speaker && quotes.length > 0) showSpeakerCard(quotes[0].speaker);
    } finally {
      list.setAttribute('aria-busy', 'false');
    }
  }

  function resultItem(q) {
    const topics = (q.topics || []).map((t) => el('li', {}, el('a', { href: searchHash({ mode: 'topic', query: t }) }, t)));
    return el('li', { class: `quote-card kind-${q.speaker && q.speaker.kind}`, 'data-quote-id': q.id },
      el('blockquote', {},
        el('a', { class: 'quote-link', href: `#quote/${enc(q.id)}`, 'aria-label': `“${q.text}” — show in its article` },
          `“${q.text}”`)),
      el('p', { class: 'who' }, '— ', speakerLine(q.speaker, true),
        q.partial ? [' ', el('span', { class: 'badge badge-partial', title: 'A fragment quoted inside reported speech', text: 'fragment' })] : null,
        q.conflict ? [' ', el('span', { class: 'badge badge-conflict', text: 'attribution disputed' })] : null),
      el('p', { class: 'meta' },
        el('cite', {}, (q.article && q.article.title) || (q.article && q.article.key) || 'Untitled article'),
        quoteDate(q)),
      topics.length ? el('ul', { class: 'topics', 'aria-label': 'Topics' }, topics) : null);
  }

  // distinct drops repeats that differ only in case or accents, and except.
  function distinct(list, except) {
    const seen = new Set([fold(except)]);
    return list.filter((x) => {
      const key = fold(x);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  async function showSpeakerCard(speaker) {
    const card = $('speaker-card');
    if (!speaker || !speaker.id) return;
    const generation = search.generation;
    let s;
    try {
      s = await api(`speakers/${enc(speaker.id)}`);
    } catch (_) {
      return; // the card only adds to the results
    }
    if (generation !== search.generation) return;
    const rows = [];
    const row = (term, ...value) => rows.push(el('dt', {}, term), el('dd', {}, value));
    const aliases = distinct(s.aliases || [], s.name);
    const roles = distinct(s.roles || [], '');
    if (aliases.length) row('Also written as', aliases.join(', '));
    if (roles.length) row('Described as', roles.join('; '));
    if (s.quote_count !== undefined) row('Quotes', String(s.quote_count));
    if (s.first_seen || s.last_seen) row('Quoted', formatDate(s.first_seen), ' – ', formatDate(s.last_seen));
    card.replaceChildren(el('h2', {}, s.name, ' ', kindBadge(s.kind)));
    if (rows.length) card.append(el('dl', {}, rows));
    card.hidden = false;
  }

  // --- suggestions ----------------------------------------------------------

  // suggest fills a datalist with speakers (or topics) as the user types,
  // waiting for a pause and dropping answers to stale requests.
  function suggest(input, list, source) {
    let timer = 0;
    let controller = null;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const kind = source();
        const text = input.value.trim();
        if (controller) controller.abort();
        if (!kind || text.length < 1) {
          list.replaceChildren();
          return;
        }
        controller = new AbortController();
        try {
          const options = kind === 'topic'
            ? ((await api(`topics?q=${enc(text)}`, { signal: controller.signal })).topics || [])
              .slice(0, 8).map((t) => el('option', { value: t.topic }, `${t.quote_count} quotes`))
            : ((await api(`speakers?q=${enc(text)}&limit=8`, { signal: controller.signal })).speakers || [])
              .map((s) => el('option', { value: s.name }, `${kindBadges[s.kind] || s.kind} · ${s.quote_count} quotes`));
          list.replaceChildren(...options);
        } catch (err) {
          if (err.name !== 'AbortError') list.replaceChildren();
        }
      }, 200);
    });
  }

  // --- a quote in its article ----------------------------------------------

  async function showQuote(id, seq) {
    const box = $('quote-detail');
    box.replaceChildren(el('p', { class: 'loading' }, 'Loading…'));
    $('back-to-results').href = search.hash || '#search';
    let q;
    let article;
    try {
      q = await api(`quotes/${enc(id)}`);
      article = await api(`articles/${enc(q.article.id)}?include=text`);
    } catch (err) {
      if (seq !== routeSeq) return;
      box.replaceChildren();
      failed('The quote could not be loaded', err);
      return;
    }
    if (seq !== routeSeq) return;
    box.replaceChildren(el('div', { class: 'reader' }, attributionCard(q), articleText(article, q)));
    $('quote-title').textContent = `${q.speaker && q.speaker.name ? q.speaker.name : 'Unattributed'}, in “${article.title || article.key}”`;
    $('quote-title').focus();
    const mark = document.getElementById('the-quote');
    if (mark) mark.scrollIntoView({ block: 'center' });
    announce('The quote is highlighted in its article.');
  }

  function attributionCard(q) {
    const ev = q.evidence || {};
    const rows = [];
    const row = (term, ...value) => rows.push(el('dt', {}, term), el('dd', {}, value));
    row('Said by', speakerLine(q.speaker, true));
    if (q.speaker && q.speaker.kind === 'anonymous' && (q.speaker.affiliation || q.speaker.role)) {
      row('Source', [q.speaker.affiliation, q.speaker.role].filter(Boolean).join(' '));
    }
    row('Speaker mention', ev.mention ? el('mark', { class: 'mention' }, ev.mention.text) : 'none in the text');
    if (ev.antecedent) row('Named earlier as', el('mark', { class: 'mention antecedent' }, ev.antecedent.text));
    row('Attribution cue', ev.cue ? el('mark', { class: 'cue' }, ev.cue.text) : 'none in the text');
    row('Rule', el('code', {}, ev.rule || 'none'), ruleExplanations[ev.rule] ? [' — ', ruleExplanations[ev.rule]] : null);
    row('Confidence', el('meter', { min: '0', max: '1', value: String(ev.confidence || 0), 'aria-hidden': 'true' }), ' ', percent(ev.confidence));
    if (q.partial) row('Fragment', 'quoted inside reported speech');
    if ((q.topics || []).length) {
      row('Topics', q.topics.map((t, i) => [i ? ', ' : '', el('a', { href: searchHash({ mode: 'topic', query: t }) }, t)]));
    }
    return el('aside', { class: 'attribution', 'aria-label': 'Attribution' },
      el('blockquote', { class: 'big-quote' }, `“${q.text}”`),
      conflictsBlock(q),
      el('dl', { class: 'evidence' }, rows),
      el('p', { class: 'legend' }, 'In the article: ',
        el('mark', { class: 'quote' }, 'the quote'), ' ',
        el('mark', { class: 'mention' }, 'speaker mention'), ' ',
        el('mark', { class: 'cue' }, 'cue'), ' ',
        el('span', { class: 'other-quote' }, 'other quotes')));
  }

  function conflictsBlock(q) {
    const conflicts = q.conflicts || [];
    if (!q.conflict && conflicts.length === 0) return null;
    return el('section', { class: 'conflicts', 'aria-label': 'Conflicting attributions' },
      el('h2', {}, 'Attribution disputed: elsewhere these words are someone else’s'),
      conflicts.length === 0
        ? el('p', {}, 'Other articles attribute these words to someone else.')
        : el('ul', {}, conflicts.map((c) => el('li', {},
          el('a', { href: `#quote/${enc(c.quote.id)}` }, `“${c.quote.text}”`), ' — ',
          speakerLine(c.quote.speaker, false), el('br'),
          el('span', { class: 'meta' },
            el('cite', {}, (c.quote.article && c.quote.article.title) || 'Untitled article'),
            quoteDate(c.quote),
            ` · ${percent(c.similarity)} similar`)))));
  }

  // articleText shows the article with the chosen quote, its cue and
  // speaker mention marked, and the other quotes linked.
  function articleText(article, chosen) {
    const spans = [];
    if (chosen) {
      spans.push({ start: chosen.start, end: chosen.end, render: (t) => el('mark', { class: 'quote', id: 'the-quote' }, t) });
      const ev = chosen.evidence || {};
      if (ev.mention) spans.push({ start: ev.mention.start, end: ev.mention.end, render: (t) => el('mark', { class: 'mention', title: 'speaker mention' }, t) });
      if (ev.antecedent) spans.push({ start: ev.antecedent.start, end: ev.antecedent.end, render: (t) => el('mark', { class: 'mention antecedent', title: 'where the speaker was named' }, t) });
      if (ev.cue) spans.push({ start: ev.cue.start, end: ev.cue.end, render: (t) => el('mark', { class: 'cue', title: 'attribution cue' }, t) });
    }
    for (const q of article.quotes || []) {
      if (chosen && q.id === chosen.id) continue;
      const by = q.speaker && q.speaker.name ? q.speaker.name : 'unattributed';
      spans.push({ start: q.start, end: q.end, render: (t) => el('a', { class: 'other-quote', href: `#quote/${enc(q.id)}`, title: `Quote by ${by}` }, t) });
    }
    const date = article.published ? formatDate(article.published) : formatDate(article.uploaded_at) && `uploaded ${formatDate(article.uploaded_at)}`;
    const meta = [article.outlet, date, article.key].filter(Boolean);
    return el('article', { class: 'article' },
      el('header', {},
        el('h2', {}, article.title || article.key),
        el('p', { class: 'meta' }, meta.join(' · ')),
        article.url ? el('p', { class: 'meta' }, el('a', { href: article.url, rel: 'noopener noreferrer' }, 'Original article')) : null),
      el('div', { class: 'article-text' }, markUp(article.text || '', spans)));
  }

  async function showArticle(id, seq) {
    const box = $('article-detail');
    box.replaceChildren(el('p', { class: 'loading' }, 'Loading…'));
    try {
      const article = await api(`articles/${enc(id)}?include=text`);
      if (seq !== routeSeq) return;
      const quotes = article.quotes || [];
      box.replaceChildren(el('div', { class: 'reader' },
        el('aside', { class: 'attribution', 'aria-label': 'Quotes in the article' },
          el('h2', {}, `${quotes.length} quote${quotes.length === 1 ? '' : 's'}`),
          quotes.length === 0
            ? el('p', {}, article.status === 'failed' ? `The article could not be read: ${article.reason || 'unknown reason'}.` : 'No direct quotes were found.')
            : el('ol', { class: 'article-quotes' }, quotes.map((q) => el('li', {},
              el('a', { href: `#quote/${enc(q.id)}` }, `“${q.text}”`), ' — ', speakerLine(q.speaker, false))))),
        articleText(article, null)));
      $('article-title').textContent = `Quotes in “${article.title || article.key}”`;
      $('article-title').focus();
    } catch (err) {
      if (seq !== routeSeq) return;
      box.replaceChildren();
      failed('The article could not be loaded', err);
    }
  }

  // --- verify ---------------------------------------------------------------

  const verdicts = {
    confirmed: ['Confirmed', 'These words were said, as claimed.'],
    different_speaker: ['Different speaker', 'These words were said, but not by the claimed speaker.'],
    wording_differs: ['Wording differs', 'A quote close to this was said, but in other words.'],
    not_found: ['Not found', 'No quote close to these words is in the articles we have.'],
  };

  async function verify(event) {
    event.preventDefault();
    showProblem('');
    const claim = { quote: $('verify-quote').value, speaker: $('verify-speaker').value.trim() };
    const box = $('verify-result');
    box.replaceChildren(el('p', { class: 'loading' }, 'Checking…'));
    let result;
    try {
      result = await api('verify', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(claim),
      });
    } catch (err) {
      box.replaceChildren();
      failed('The check failed', err);
      return;
    }
    const [title, explanation] = verdicts[result.verdict] || [result.verdict, ''];
    const matches = result.matches || [];
    const best = matches[0];
    let detail = explanation;
    if (best) {
      const who = best.speaker && best.speaker.name ? best.speaker.name : 'an unattributed speaker';
      const where = best.article && best.article.title ? ` in “${best.article.title}”` : '';
      detail = {
        confirmed: `${who} said these words${where}.`,
        different_speaker: `These words are attributed to ${who}${where}${claim.speaker ? `, not to ${claim.speaker}` : ''}.`,
        wording_differs: `${who} said something close${where}, but not in these words: the differences are marked below.`,
      }[result.verdict] || explanation;
    }
    const speakers = distinct(matches.map((m) => (m.speaker && m.speaker.name) || 'an unattributed speaker'), '');
    box.replaceChildren(
      el('div', { class: `verdict verdict-${result.verdict}` },
        el('h2', {}, title), el('p', {}, detail),
        speakers.length > 1
          ? el('p', { class: 'several' }, `Close matches are attributed to ${speakers.length} speakers: ${speakers.join(', ')}. Compare them below.`)
          : null),
      ...matches.map((m, i) => matchBlock(m, i, claim, i === 0 && result.verdict === 'different_speaker')),
      claimReviewBlock(claim));
    box.focus();
    announce(`${title}. ${detail}`);
  }

  // claimReviewBlock offers the verdict as schema.org ClaimReview JSON-LD,
  // fetched when opened, for pasting into a fact-check page.
  function claimReviewBlock(claim) {
    const code = el('pre', { class: 'claimreview' }, el('code', {}, 'Loading…'));
    const copy = el('button', { type: 'button', disabled: true }, 'Copy');
    const details = el('details', { class: 'claimreview-box' },
      el('summary', {}, 'ClaimReview JSON-LD for your fact-check page'), copy, code);
    let text = '';
    details.addEventListener('toggle', async () => {
      if (!details.open || text) return;
      try {
        const review = await api('verify', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/ld+json' },
          body: JSON.stringify({ ...claim, format: 'claimreview' }),
        });
        text = JSON.stringify(review, null, 2);
        code.firstChild.textContent = text;
        copy.disabled = false;
      } catch (err) {
        code.firstChild.textContent = `Could not make it: ${err.message}`;
      }
    });
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(text);
        announce('ClaimReview copied.');
      } catch (_) {
        announce('Copying was refused; select the text instead.');
      }
    });
    return details;
  }

  // diffSides renders the claim and the article's words side by side from
  // the word diff; words of the quote outside the claimed excerpt (inserted
  // at either end) are shown dimmed rather than as changes.
  function diffSides(ops) {
    const claimed = [];
    const actual = [];
    const changes = [];
    let excerpt = false;
    const add = (side, node) => {
      if (side.length) side.push(' ');
      side.push(node);
    };
    ops.forEach((op, i) => {
      const atEdge = i === 0 || i === ops.length - 1;
      switch (op.op) {
        case 'equal':
          add(claimed, op.claimed);
          add(actual, op.actual);
          break;
        case 'replaced':
          add(claimed, el('mark', { class: 'diff diff-replaced', 'data-op': 'replaced' }, op.claimed));
          add(actual, el('mark', { class: 'diff diff-replaced', 'data-op': 'replaced' }, op.actual));
          changes.push(['“', el('strong', {}, op.claimed), '” where the article has “', el('strong', {}, op.actual), '”']);
          break;
        case 'deleted':
          add(claimed, el('mark', { class: 'diff diff-deleted', 'data-op': 'deleted' }, op.claimed));
          changes.push(['“', el('strong', {}, op.claimed), '” is not in the article’s words']);
          break;
        case 'inserted':
          if (atEdge && ops.length > 1) {
            excerpt = true;
            add(actual, el('span', { class: 'outside', title: 'not part of the claimed excerpt' }, op.actual));
          } else {
            add(actual, el('mark', { class: 'diff diff-inserted', 'data-op': 'inserted' }, op.actual));
            add(claimed, el('span', { class: 'gap', title: `missing: ${op.actual}` }, '‸'));
            changes.push(['the article also has “', el('strong', {}, op.actual), '”']);
          }
          break;
      }
    });
    return { claimed, actual, changes, excerpt };
  }

  function matchBlock(m, i, claim, otherSpeaker) {
    const { claimed, actual, changes, excerpt } = diffSides(m.diff || []);
    const claimedBy = claim.speaker || 'no speaker given';
    const q = m.quote || {};
    const article = m.article || q.article || {};
    return el('article', { class: 'match' },
      el('h3', {}, i === 0 ? 'Best match' : `Match ${i + 1}`, ` · ${percent(m.similarity)} similar`),
      el('div', { class: 'compare' },
        el('figure', { class: 'side claimed' },
          el('figcaption', {}, 'Claimed'),
          el('blockquote', {}, claimed),
          el('p', { class: 'who' }, '— ', otherSpeaker ? el('mark', { class: 'diff diff-speaker' }, claimedBy) : claimedBy)),
        el('figure', { class: 'side actual' },
          el('figcaption', {}, 'In the article'),
          el('blockquote', {}, actual),
          el('p', { class: 'who' }, '— ', speakerLine(m.speaker || q.speaker, true)))),
      changes.length
        ? el('p', { class: 'changes' }, 'Differences: ', changes.map((c, j) => [j ? '; ' : '', c]), '.')
        : null,
      excerpt ? el('p', { class: 'changes' }, 'The claim quotes part of what was said; the rest is in grey.') : null,
      el('p', { class: 'meta' }, 'Read it in its article: ',
        el('a', { href: `#quote/${enc(q.id)}` }, el('cite', {}, article.title || article.key || 'the article')),
        quoteDate(q)),
      m.context ? el('details', {}, el('summary', {}, 'Context'), el('p', {}, m.context)) : null);
  }

  // --- uploads --------------------------------------------------------------

  function bucketPath(name) {
    return `bucket/${name.split('/').map(enc).join('/')}`;
  }

  async function uploadFiles(files) {
    const list = $('uploads');
    const rows = Array.from(files, (file) => {
      const status = el('span', { class: 'upload-status' }, 'waiting');
      const row = el('li', { class: 'upload pending' }, el('span', { class: 'file-name' }, file.name), ' ', status);
      list.prepend(row);
      return { file, row, status };
    });
    for (const { file, row, status } of rows) {
      status.textContent = 'uploading…';
      try {
        const res = await fetch(bucketPath(file.name), { method: 'PUT', body: file, headers: { Accept: 'application/json' } });
        if (res.status === 404 || res.status === 405) {
          row.className = 'upload failed';
          status.textContent = 'uploads are only available when the service runs locally (quotes serve)';
          continue;
        }
        let body = null;
        try {
          body = await res.json();
        } catch (_) {
          body = null;
        }
        if (!res.ok) {
          row.className = 'upload failed';
          status.textContent = `failed: ${body && body.error ? body.error.message : `${res.status} ${res.statusText}`}`;
          continue;
        }
        if (!body || !body.status) {
          row.className = 'upload failed';
          status.textContent = 'failed: the server’s answer was not an article';
          continue;
        }
        if (body.status === 'failed') {
          row.className = 'upload failed';
          status.textContent = `not read: ${body.reason || 'unknown reason'}`;
          continue;
        }
        row.className = 'upload done';
        status.replaceChildren(`${body.status} · ${body.quote_count} quote${body.quote_count === 1 ? '' : 's'} · `,
          el('a', { href: `#article/${enc(body.id)}` }, 'read it'));
      } catch (err) {
        row.className = 'upload failed';
        status.textContent = `failed: ${err.message}`;
      }
    }
    search.hash = ''; // new quotes: searches must be run again
    announce('Uploads finished.');
  }

  // Back links return to where the reader came from when that was this
  // page, which keeps the results and their scroll position.
  function setUpBackLinks() {
    for (const link of document.querySelectorAll('a[data-back]')) {
      link.addEventListener('click', (e) => {
        if (history.state && history.state.inApp) {
          e.preventDefault();
          history.back();
        }
      });
    }
  }

  function setUpDropZone() {
    const zone = $('drop-zone');
    // A file dropped beside the zone would otherwise replace the page.
    for (const type of ['dragover', 'drop']) window.addEventListener(type, (e) => e.preventDefault());
    zone.addEventListener('dragenter', () => zone.classList.add('over'));
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      zone.classList.add('over');
    });
    zone.addEventListener('dragleave', (e) => {
      if (!zone.contains(e.relatedTarget)) zone.classList.remove('over');
    });
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files.length) uploadFiles(e.dataTransfer.files);
    });
    $('upload-input').addEventListener('change', (e) => {
      if (e.target.files.length) uploadFiles(e.target.files);
      e.target.value = '';
    });
  }

  // --- start ----------------------------------------------------------------

  function start() {
    // Anything the Content-Security-Policy blocks is a bug of the page.
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Content-Security-Policy blocked ${e.blockedURI || 'inline content'} (${e.violatedDirective})`);
    });
    $('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const hash = searchHash({ mode: $('search-mode').value, query: $('search-input').value.trim(), speaker_kind: $('search-kind').value });
      if (hash === location.hash) {
        search.hash = ''; // searching again refreshes the results
        route();
      } else {
        location.hash = hash;
      }
    });
    $('more').addEventListener('click', () => loadResults().catch((err) => failed('More quotes could not be loaded', err)));
    $('verify-form').addEventListener('submit', verify);
    suggest($('search-input'), $('search-suggestions'), () => {
      const mode = $('search-mode').value;
      return mode === 'topic' ? 'topic' : mode === 'q' ? '' : 'speaker';
    });
    suggest($('verify-speaker'), $('verify-suggestions'), () => 'speaker');
    setUpDropZone();
    setUpBackLinks();
    // The skip link moves focus only: as a fragment it would change the view.
    document.querySelector('.skip').addEventListener('click', (e) => {
      e.preventDefault();
      $('main').focus();
    });
    window.addEventListener('hashchange', () => {
      // Marks entries reached inside the page, so Back can return to them.
      if (!(history.state && history.state.inApp)) history.replaceState({ inApp: true }, '');
      route();
    });
    route();
  }

  start();
})();
