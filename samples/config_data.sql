--
-- PostgreSQL database dump
--

\restrict cBPeEnc8HKjWYUowgQaSvdH9mEEP1Fk71x7Ukl3hWBz92joadRLzcnrrhydferV

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Data for Name: tls_prompt; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.tls_prompt (id, name, prompt, time_create) FROM stdin;
1	checkin_intro	Welcome back!\nLet's check in.\n\n- How do you feel?\n- What changed?	2023-01-01 00:00:00
2	summary	Summarise the conversation in 3 bullet points.\r\nUse the user's language.	2023-01-02 00:00:00
3	summary	An older summary prompt	2022-06-01 00:00:00
4	\N	A prompt without a name	2023-01-03 00:00:00
5	emoji test	🙂 ✨ 日本語	\N
\.


--
-- Data for Name: tls_system; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.tls_system (id, name, value, time_create) FROM stdin;
1	version	2.7.1	2023-05-05 05:05:05
2	maintenance	false	2023-05-05 05:05:05
3	limits	[1, 2, 3.50]	2023-05-05 05:05:05
4	motd	Line one\nLine two with \\N and \\.	2023-05-05 05:05:05
\.


--
-- Data for Name: tls_variable; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.tls_variable (id, name, value, "user", time_create) FROM stdin;
1	max_checkins_per_day	3	t	2023-01-01 00:00:00
2	pi_exact	3.14159265358979323846264338327950288419716939937510	f	2023-01-01 00:00:00
3	feature_flags	{"voice": true, "beta": ["a", "b"]}	f	2023-01-01 00:00:00
4	welcome_text	Hello,\tfriend!\n	t	2023-01-01 00:00:00
5	empty		\N	2023-01-01 00:00:00
6	unset	\N	f	2023-01-01 00:00:00
7	enabled	 true 	t	2023-01-01 00:00:00
8	big_int	12345678901234567890123	f	2023-01-01 00:00:00
\.


--
-- Name: tls_prompt_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.tls_prompt_id_seq', 5, true);


--
-- Name: tls_system_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.tls_system_id_seq', 4, true);


--
-- Name: tls_variable_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.tls_variable_id_seq', 8, true);


--
-- PostgreSQL database dump complete
--

\unrestrict cBPeEnc8HKjWYUowgQaSvdH9mEEP1Fk71x7Ukl3hWBz92joadRLzcnrrhydferV

