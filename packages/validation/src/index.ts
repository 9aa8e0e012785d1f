export {
  email,
  password,
  phoneE164,
  normalizePhone,
  personName,
  timezone,
  languageTag,
  isUuid,
  uuid,
  trimmedText,
  tags,
} from './fields.js';
