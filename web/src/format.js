// Numbers and units in the reader's language: Danish uses a decimal comma and a point between thousands.
import { getLanguage } from './i18n.js';

const locale = () => (getLanguage() === 'en' ? 'en-GB' : 'da-DK');

export function formatNumber(value, digits = 1) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  return value.toLocaleString(locale(), { maximumFractionDigits: digits });
}

export function formatValue(value, unit) {
  if (typeof value !== 'number') return value === null || value === undefined || value === '' ? '–' : String(value);
  if (unit === '%') return `${formatNumber(value)} %`;
  if (unit === 'DKK') return `${formatNumber(value, 0)} kr.`;
  if (unit === 'persons') return formatNumber(value, 0);
  return formatNumber(value, 2);
}

export const formatShare = (fraction) => `${formatNumber(fraction * 100)} %`;

export function formatArea(m2) {
  return `${formatNumber(m2, 0)} m² (${formatNumber(m2 / 10000, 2)} ha)`;
}

// A feature's name: the field /collections names as the layer's name field (when it says), the
// server's `name` (label points and derived layers carry it), the sample's `navn`, or the name
// fields of the real city's sources, which /collections does not name yet.
const knownNameFields = ['afdelingsnavn', 'delomraade'];

export function featureName(properties, collection, fallback = '') {
  const field = collection?.['kvarter:name_field'];
  const candidates = [field, 'name', 'navn', ...knownNameFields].filter(Boolean);
  const found = candidates.map((k) => properties[k]).find((v) => typeof v === 'string' && v !== '');
  return found ?? fallback;
}
