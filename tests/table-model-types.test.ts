// The row types lib/transform/target-rows.ts derives from the table model are, property for property, the
// interfaces that file kept by hand before the model (copied here as they were). A type check, so this file fails
// to compile (`tsc --noEmit`, part of make test) when a change to the model changes a row type; the tap test only
// records that it compiled.
import t from 'tap';
import type { AppConfigRow, CategoryRow, CoachRow, JsonValue } from '../lib/transform/target-rows.js';

/** true only when A and B are the same type (each assignable to the other, readonly-ness included). */
type Same<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

interface OldCoachRow {
  readonly id: string;
  readonly legacy_id: number;
  readonly name: string;
  readonly description: string | null;
  readonly intro: string | null;
  readonly prompt: string | null;
  readonly sex: 'male' | 'female' | 'non_binary' | 'other' | null;
  readonly year_of_birth: number | null;
  readonly photo_url: string | null;
  readonly photo_30_url: string | null;
  readonly photo_45_url: string | null;
  readonly photo_60_url: string | null;
  readonly voice_id: string;
  readonly voice_settings: JsonValue;
  readonly is_active: boolean;
  readonly created_at: string | null;
  readonly updated_at: string | null;
}

interface OldCategoryRow {
  readonly id: string;
  readonly legacy_id: number;
  readonly parent_id: string | null;
  readonly name: string;
  readonly name_short: string | null;
  readonly description: string | null;
  readonly icon_url: string | null;
  readonly icon_secondary_url: string | null;
  readonly sort_order: number;
  readonly primary_color: string | null;
  readonly secondary_color: string | null;
  readonly show_checkin_history: boolean;
  readonly checkin_enabled: boolean;
  readonly followup_chat_enabled: boolean;
  readonly followup_timer: number | null;
  readonly prompt_checkin: string | null;
  readonly prompt_checkin_2: string | null;
  readonly guidelines_file_text: string | null;
  readonly max_questions: number | null;
  readonly scope: string | null;
  readonly is_active: boolean;
  readonly created_at: string | null;
  readonly updated_at: string | null;
}

interface OldAppConfigRow {
  readonly key: string;
  readonly value: JsonValue;
  readonly description: string;
  readonly is_public: boolean;
  readonly created_at: string | null;
  readonly updated_at: string | null;
}

const agree: [Same<CoachRow, OldCoachRow>, Same<CategoryRow, OldCategoryRow>, Same<AppConfigRow, OldAppConfigRow>] = [
  true,
  true,
  true,
];

t.test('the derived row types are the hand-kept interfaces they replace (checked by tsc)', async (t) => {
  t.same(agree, [true, true, true]);
});
