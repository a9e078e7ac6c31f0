-- Seed data for the sample dumps: what production has, plus the awkward values a reader must get right.
-- Images are inserted by make-images.mjs (real JPEG, PNG, GIF, WebP and SVG bytes).

INSERT INTO tls_coach (id, name, description, image_id, image30_id, image45_id, image60_id, sex, intro, prompt, time_create) VALUES
 (1, 'Daniel', 'Calm, practical, direct.', 1, 2, 3, 4, 'M',
  E'Hi, I''m Daniel.\nI was born in 1985 in Porto and have coached for ten years.',
  E'You are Daniel, a warm coach.\n\tKeep answers short.\nNever say "\\N" or "\\." out loud.', '2023-03-14 09:26:53.589793'),
 (2, 'Ana María', 'Empática y clara — «siempre».', 11, NULL, NULL, NULL, 'female',
  'I am 34 years old and I love mornings.', 'Sé amable.', '2022-11-02 18:00:00'),
 (3, '李小龙 🐉', E'Tabs\there, CR\rthere, CRLF\r\nand a backslash \\ too', NULL, NULL, NULL, NULL, 'nb',
  'Aged: 41. Martial arts and mindfulness.', '用简短的句子回答。🙂', '2021-06-30 23:59:59.999999'),
 (4, 'Sam', '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (5, 'Robert''); DROP TABLE coaches; --', E'Quotes '' " and `backticks`; \\copy and \\! rm -rf / stay text', 12, NULL, NULL, NULL, 'Wizard',
  E'Birth year: 1979.\n\\N on its own line:\n\\N\n\\.\nstill intro', E'\\x41 is not an escape here', '2020-02-29 12:00:00.000001'),
 (6, 'Zoë Ñandú', NULL, 99, NULL, NULL, NULL, 'other', 'I am 230 years old.', '', '2019-01-01 00:00:00');

INSERT INTO tls_category (id, parent_id, name, name_short, description, icon_id, icon_id_secondary, sort_order, primary_color, secondary_color,
  show_checkin_history, checkin_enabled, followup_chat_enabled, followup_timer, prompt_checkin, prompt_checkin_2, guidelines_file_text, max_questions, scope, time_create) VALUES
 (10, NULL, 'Health', 'Health', 'Body and energy', 5, 6, 1, '#FF6B6B', '#FFE3E3', true, true, false, 24, E'How is your health today?\nBe honest.', NULL, NULL, 5, 'health', '2022-01-10 08:00:00'),
 (3, 10, 'Sleep', 'Sleep', E'Rest, naps\tand nights', 7, NULL, 1, '#4D96FF', NULL, false, true, true, 12, 'How did you sleep?', 'Any dreams?', NULL, 3, 'health.sleep', '2022-01-10 08:05:00.5'),
 (7, 3, 'Insomnia', NULL, NULL, NULL, NULL, 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2022-01-11 09:00:00'),
 (1, 7, 'Night waking', 'Waking', E'Level four: a leaf whose id is smaller than all its ancestors''', NULL, NULL, 0, NULL, NULL, false, false, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (12, 3, 'Naps', 'Naps', '', NULL, NULL, 5, '', '', true, true, false, 0, '', '', '', 0, '', '2022-01-12 10:00:00'),
 (20, NULL, 'Mind', 'Mind', 'Thoughts, focus, mood', 2, 13, 2, '#6BCB77', '#E3F9E5', true, true, true, 48, 'What is on your mind?', NULL, NULL, 4, 'mind', '2022-02-01 00:00:00'),
 (15, 20, 'Stress', 'Stress', E'Back\\slash and "quotes"', NULL, NULL, 1, NULL, NULL, false, true, false, NULL, NULL, NULL, NULL, NULL, NULL, '2022-02-02 00:00:00'),
 (16, 20, 'Focus', 'Focus', NULL, NULL, NULL, 1, NULL, NULL, false, true, false, NULL, NULL, NULL, NULL, NULL, NULL, '2022-02-03 00:00:00'),
 (2, 15, 'Work stress', NULL, 'Deadlines 📅 and 会议', NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2022-02-04 00:00:00'),
 (30, NULL, 'Relationships', 'People', NULL, NULL, NULL, NULL, NULL, NULL, false, true, false, NULL, NULL, NULL,
  -- the 1 MB text: one value of exactly 1,000,000 bytes
  rpad(E'Guidelines.\nBe kind.\tBe brief.\\ ', 1000000, E'Lorem ipsum dolor sit amet; \\N \\. \t\n'), NULL, NULL, '2022-03-01 00:00:00');

INSERT INTO tls_prompt (id, name, prompt, time_create) VALUES
 (1, 'checkin_intro', E'Welcome back!\nLet''s check in.\n\n- How do you feel?\n- What changed?', '2023-01-01 00:00:00'),
 (2, 'summary', E'Summarise the conversation in 3 bullet points.\r\nUse the user''s language.', '2023-01-02 00:00:00'),
 (3, 'summary', 'An older summary prompt', '2022-06-01 00:00:00'),
 (4, NULL, 'A prompt without a name', '2023-01-03 00:00:00'),
 (5, 'emoji test', '🙂 ✨ 日本語', NULL);

INSERT INTO tls_variable (id, name, value, "user", time_create) VALUES
 (1, 'max_checkins_per_day', '3', true, '2023-01-01 00:00:00'),
 (2, 'pi_exact', '3.14159265358979323846264338327950288419716939937510', false, '2023-01-01 00:00:00'),
 (3, 'feature_flags', E'{"voice": true, "beta": ["a", "b"]}', false, '2023-01-01 00:00:00'),
 (4, 'welcome_text', E'Hello,\tfriend!\n', true, '2023-01-01 00:00:00'),
 (5, 'empty', '', NULL, '2023-01-01 00:00:00'),
 (6, 'unset', NULL, false, '2023-01-01 00:00:00'),
 (7, 'enabled', ' true ', true, '2023-01-01 00:00:00'),
 (8, 'big_int', '12345678901234567890123', false, '2023-01-01 00:00:00');

INSERT INTO tls_system (id, name, value, time_create) VALUES
 (1, 'version', '2.7.1', '2023-05-05 05:05:05'),
 (2, 'maintenance', 'false', '2023-05-05 05:05:05'),
 (3, 'limits', '[1, 2, 3.50]', '2023-05-05 05:05:05'),
 (4, 'motd', E'Line one\nLine two with \\N and \\.', '2023-05-05 05:05:05');

-- Sequences as production leaves them (pg_dump writes setval lines for them).
SELECT setval('tls_coach_id_seq', 6), setval('tls_category_id_seq', 30), setval('tls_prompt_id_seq', 5),
       setval('tls_variable_id_seq', 8), setval('tls_system_id_seq', 4);
