// Danish first (the city's own language), English on request. Words the server sends (layer
// titles, indicator labels) are Danish; their English forms are kept here by id.

const words = {
  da: {
    title: 'kvarter – udsatte byområder i København',
    search: 'Søg',
    search_placeholder: 'Bydel, byområde, boligafdeling, områdefornyelse …',
    no_results: 'Intet fundet',
    year: 'År',
    indicator: 'Indikator',
    language: 'Language: English',
    layers: 'Lag og signaturforklaring',
    views: 'Visninger',
    view_map: 'Kort',
    view_screening: 'Screening',
    view_forty_plus: '40 plus',
    view_planner: 'Planlægning',
    close: 'Luk',
    properties: 'Egenskaber',
    belongs_to: 'Ligger i',
    over_years: 'Over årene',
    none: 'ingen',
    no_value: 'ingen værdi',
    threshold: 'tærskel',
    shaded_by_indicator: 'fladen farvet efter indikatoren, som boligafdelingerne',
    higher_is_worse: 'højere er værre',
    higher_is_better: 'højere er bedre',
    neutral: 'hverken bedre eller værre',
    synthetic_banner: 'Indikatorerne er syntetiske (eksempeldata), ikke rigtige tal.',
    about_data: 'Om data',
    proposals_layer: 'Forslag fra planlæggere',
    screening_title: 'Årlig screening',
    screening_intro: 'Boligafdelinger i det mest udsatte femtedel (SØK), som ikke allerede er dækket af en aktiv områdefornyelse.',
    forty_plus_title: '40 plus-afdelinger',
    forty_plus_intro: 'Afdelinger hvor mere end {threshold} % af beboerne er uden for arbejdsstyrken.',
    departments: 'afdelinger',
    dwellings: 'boliger',
    residents: 'beboere',
    col_rank: 'Rang',
    col_name: 'Navn',
    col_index: 'SØK-indeks',
    col_quintile: 'Kvintil',
    col_covered: 'Dækket af fornyelse',
    col_district: 'Bydel',
    col_share: 'Andel',
    col_dwellings: 'Boliger',
    col_forty_plus: '40 plus',
    yes: 'ja',
    no: 'nej',
    sort_by: 'Sortér efter {column}',
    planner_intro: 'Klik på kortet for at tegne et område. Afslut ved at klikke på første punkt, trykke Enter eller vælge »Afslut«.',
    draw_start: 'Tegn nyt område',
    draw_finish: 'Afslut',
    draw_undo: 'Fortryd punkt',
    draw_cancel: 'Annullér',
    drawing: 'Tegner: {n} punkter',
    report: 'Rapport for området',
    area: 'Areal',
    repaired: 'Polygonen krydsede sig selv og er repareret',
    residents_inside: 'Beboere i området',
    dwellings_inside: 'Boliger i området',
    active_renewal: 'Allerede under aktiv områdefornyelse',
    overlap: 'overlap',
    of_proposal: 'af forslaget',
    of_feature: 'af {name}',
    housing_departments: 'Boligafdelinger',
    share_inside: 'andel inde',
    indicators: 'Indikatorer',
    col_covered_value: 'Området',
    col_district_value: 'Bydelen',
    col_city_value: 'Byen',
    playgrounds: 'Bemandede legepladser (inden for 300 m)',
    inside: 'inde',
    distance: '{m} m væk',
    token: 'Nøgle (token)',
    proposal_name: 'Navn på forslaget',
    proposal_description: 'Beskrivelse',
    save: 'Gem forslag',
    save_changes: 'Gem ændringer',
    saved: 'Gemt.',
    deleted: 'Slettet.',
    proposals: 'Gemte forslag',
    open: 'Åbn',
    edit: 'Redigér',
    delete: 'Slet',
    confirm_delete: 'Slet forslaget »{name}«?',
    need_polygon: 'Tegn først et område.',
    need_token: 'Skriv en nøgle (token) for at gemme.',
    error: 'Fejl: {message}',
    loading: 'Henter …',
    renewal_active: 'i gang',
    renewal_finished: 'afsluttet',
    renewal_planned: 'planlagt',
  },
  en: {
    title: "kvarter – Copenhagen's deprived urban areas",
    search: 'Search',
    search_placeholder: 'District, deprived area, housing department, renewal zone …',
    no_results: 'Nothing found',
    year: 'Year',
    indicator: 'Indicator',
    language: 'Sprog: dansk',
    layers: 'Layers and legend',
    views: 'Views',
    view_map: 'Map',
    view_screening: 'Screening',
    view_forty_plus: '40 plus',
    view_planner: 'Planner',
    close: 'Close',
    properties: 'Properties',
    belongs_to: 'Lies in',
    over_years: 'Over the years',
    none: 'none',
    no_value: 'no value',
    threshold: 'threshold',
    shaded_by_indicator: 'shaded by the indicator, as the housing departments',
    higher_is_worse: 'higher is worse',
    higher_is_better: 'higher is better',
    neutral: 'neither better nor worse',
    synthetic_banner: 'The indicators are synthetic (sample data), not real statistics.',
    about_data: 'About the data',
    proposals_layer: "Planners' proposals",
    screening_title: 'Annual screening',
    screening_intro: 'Housing departments in the most deprived fifth (SØK) not already covered by an active area renewal.',
    forty_plus_title: '40 plus departments',
    forty_plus_intro: 'Departments where more than {threshold} % of residents are outside the labour force.',
    departments: 'departments',
    dwellings: 'dwellings',
    residents: 'residents',
    col_rank: 'Rank',
    col_name: 'Name',
    col_index: 'SØK index',
    col_quintile: 'Quintile',
    col_covered: 'Covered by renewal',
    col_district: 'District',
    col_share: 'Share',
    col_dwellings: 'Dwellings',
    col_forty_plus: '40 plus',
    yes: 'yes',
    no: 'no',
    sort_by: 'Sort by {column}',
    planner_intro: 'Click on the map to draw an area. Finish by clicking the first point, pressing Enter or choosing "Finish".',
    draw_start: 'Draw a new area',
    draw_finish: 'Finish',
    draw_undo: 'Undo point',
    draw_cancel: 'Cancel',
    drawing: 'Drawing: {n} points',
    report: 'Report for the area',
    area: 'Area',
    repaired: 'The polygon crossed itself and was repaired',
    residents_inside: 'Residents in the area',
    dwellings_inside: 'Dwellings in the area',
    active_renewal: 'Already under active area renewal',
    overlap: 'overlap',
    of_proposal: 'of the proposal',
    of_feature: 'of {name}',
    housing_departments: 'Housing departments',
    share_inside: 'share inside',
    indicators: 'Indicators',
    col_covered_value: 'The area',
    col_district_value: 'The district',
    col_city_value: 'The city',
    playgrounds: 'Manned playgrounds (within 300 m)',
    inside: 'inside',
    distance: '{m} m away',
    token: 'Token',
    proposal_name: 'Name of the proposal',
    proposal_description: 'Description',
    save: 'Save proposal',
    save_changes: 'Save changes',
    saved: 'Saved.',
    deleted: 'Deleted.',
    proposals: 'Saved proposals',
    open: 'Open',
    edit: 'Edit',
    delete: 'Delete',
    confirm_delete: 'Delete the proposal "{name}"?',
    need_polygon: 'Draw an area first.',
    need_token: 'Enter a token to save.',
    error: 'Error: {message}',
    loading: 'Loading …',
    renewal_active: 'active',
    renewal_finished: 'finished',
    renewal_planned: 'planned',
  },
};

// Property names as the data has them, in plain words.
const propertyWords = {
  navn: ['Navn', 'Name'],
  name: ['Navn', 'Name'],
  id: ['Id', 'Id'],
  bydel_nr: ['Bydelsnummer', 'District number'],
  organisation: ['Boligorganisation', 'Housing organisation'],
  organisation_nr: ['Organisationsnummer', 'Organisation number'],
  department_nr: ['Afdelingsnummer', 'Department number'],
  dwellings: ['Boliger', 'Dwellings'],
  housing_area: ['Boligområde', 'Housing estate'],
  district: ['Bydel', 'District'],
  deprived_area: ['Udsat byområde', 'Deprived urban area'],
  renewal_zone: ['Områdefornyelse', 'Area renewal'],
  renewal_zones: ['Områdefornyelser', 'Area renewals'],
  green_team: ['Grønt Team', 'Green Team'],
  start_year: ['Startår', 'Start year'],
  end_year: ['Slutår', 'End year'],
  budget_mio_dkk: ['Budget (mio. kr.)', 'Budget (million DKK)'],
  policy_year: ['Politikkens år', 'Policy year'],
  kind: ['Slags', 'Kind'],
  year: ['År for tallene', 'Year of the figures'],
  author: ['Forfatter', 'Author'],
  description: ['Beskrivelse', 'Description'],
  status: ['Status', 'Status'],
  created: ['Oprettet', 'Created'],
  updated: ['Ændret', 'Updated'],
};

// English labels of the sample's indicators (the server's labels are Danish).
const indicatorWordsEn = {
  residents: 'Residents',
  outside_labour_force_share: 'Outside the labour force',
  employment_rate: 'Employment rate',
  mean_income_dkk: 'Mean gross income',
  basic_schooling_share: 'Basic schooling only',
  non_western_share: 'Non-Western origin',
  convictions_per_10000: 'Convicted per 10,000 adults',
  voter_turnout: 'Voter turnout',
  safety_index: 'Safety index',
  soek_index: 'SØK index',
  soek_quintile: 'SØK quintile',
};

const layerWordsEn = {
  districts: 'Districts',
  'deprived-areas': 'Deprived urban areas (2011)',
  'renewal-zones': 'Area renewals',
  'green-teams': 'Green Teams',
  'housing-departments': 'Public housing departments',
  'housing-areas': 'Housing estates',
  playgrounds: 'Manned playgrounds',
  proposals: "Planners' proposals",
};

let language = 'da';

export function setLanguage(lang) {
  language = lang === 'en' ? 'en' : 'da';
  document.documentElement.lang = language;
}

export function getLanguage() {
  return language;
}

export function t(key, vars = {}) {
  const text = words[language][key] ?? words.da[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

export function propertyLabel(name) {
  const pair = propertyWords[name];
  return pair ? pair[language === 'en' ? 1 : 0] : name.replace(/_/g, ' ');
}

// `indicator` is one entry of a collection's kvarter:indicators (id, label, unit, direction).
export function indicatorLabel(indicator) {
  if (language === 'en' && indicatorWordsEn[indicator.id]) return indicatorWordsEn[indicator.id];
  return indicator.label || indicator.id;
}

export function layerLabel(collection) {
  if (language === 'en' && layerWordsEn[collection.id]) return layerWordsEn[collection.id];
  // Titles are "Danish (English)": show the Danish part.
  return (collection.title || collection.id).replace(/\s*\([^)]*\)\s*$/, '');
}

// Style metadata and legend entries carry label_da / label_en.
export function localized(entry, field = 'label') {
  return entry[`${field}_${language}`] ?? entry[`${field}_da`] ?? entry[field] ?? '';
}
