/** Legacy records for tests, with every column present and the given ones set. */
import type { CategoryRecord, CoachRecord } from '../../lib/legacy/records.js';

export const coach = (over: Partial<CoachRecord> & { id: number }): CoachRecord => ({
  name: 'Coach',
  description: null,
  image_id: null,
  image30_id: null,
  image45_id: null,
  image60_id: null,
  sex: null,
  intro: null,
  prompt: null,
  time_create: '2023-01-01 00:00:00',
  ...over,
});

export const cat = (id: number, parent: number | null, over: Partial<CategoryRecord> = {}): CategoryRecord => ({
  id,
  parent_id: parent,
  name: `C${id}`,
  name_short: null,
  description: null,
  icon_id: null,
  icon_id_secondary: null,
  sort_order: null,
  primary_color: null,
  secondary_color: null,
  show_checkin_history: null,
  checkin_enabled: null,
  followup_chat_enabled: null,
  followup_timer: null,
  prompt_checkin: null,
  prompt_checkin_2: null,
  guidelines_file_text: null,
  max_questions: null,
  scope: null,
  time_create: null,
  ...over,
});
