--
-- PostgreSQL database dump
--

\restrict NwSt5CTXMyuoRE2O4m3NfEPlPKFDtAKLvci4zRX0lrqah3ORg2o6cQKD1459ur9

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

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: tls_category; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tls_category (
    id integer NOT NULL,
    parent_id integer,
    name text,
    name_short text,
    description text,
    icon_id integer,
    icon_id_secondary integer,
    sort_order integer,
    primary_color text,
    secondary_color text,
    show_checkin_history boolean,
    checkin_enabled boolean,
    followup_chat_enabled boolean,
    followup_timer integer,
    prompt_checkin text,
    prompt_checkin_2 text,
    guidelines_file_text text,
    max_questions integer,
    scope text,
    time_create timestamp without time zone
);


--
-- Name: tls_category_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.tls_category_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: tls_category_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.tls_category_id_seq OWNED BY public.tls_category.id;


--
-- Name: tls_coach; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tls_coach (
    id integer NOT NULL,
    name text,
    description text,
    image_id integer,
    image30_id integer,
    image45_id integer,
    image60_id integer,
    sex text,
    intro text,
    prompt text,
    time_create timestamp without time zone
);


--
-- Name: tls_coach_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.tls_coach_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: tls_coach_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.tls_coach_id_seq OWNED BY public.tls_coach.id;


--
-- Name: tls_image; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tls_image (
    id integer NOT NULL,
    extension text,
    data bytea,
    user_id integer,
    time_create timestamp without time zone
);


--
-- Name: tls_image_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.tls_image_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: tls_image_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.tls_image_id_seq OWNED BY public.tls_image.id;


--
-- Name: tls_prompt; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tls_prompt (
    id integer NOT NULL,
    name text,
    prompt text,
    time_create timestamp without time zone
);


--
-- Name: tls_prompt_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.tls_prompt_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: tls_prompt_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.tls_prompt_id_seq OWNED BY public.tls_prompt.id;


--
-- Name: tls_system; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tls_system (
    id integer NOT NULL,
    name text,
    value text,
    time_create timestamp without time zone
);


--
-- Name: tls_system_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.tls_system_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: tls_system_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.tls_system_id_seq OWNED BY public.tls_system.id;


--
-- Name: tls_variable; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tls_variable (
    id integer NOT NULL,
    name text,
    value text,
    "user" boolean,
    time_create timestamp without time zone
);


--
-- Name: tls_variable_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.tls_variable_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: tls_variable_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.tls_variable_id_seq OWNED BY public.tls_variable.id;


--
-- Name: tls_category id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_category ALTER COLUMN id SET DEFAULT nextval('public.tls_category_id_seq'::regclass);


--
-- Name: tls_coach id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_coach ALTER COLUMN id SET DEFAULT nextval('public.tls_coach_id_seq'::regclass);


--
-- Name: tls_image id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_image ALTER COLUMN id SET DEFAULT nextval('public.tls_image_id_seq'::regclass);


--
-- Name: tls_prompt id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_prompt ALTER COLUMN id SET DEFAULT nextval('public.tls_prompt_id_seq'::regclass);


--
-- Name: tls_system id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_system ALTER COLUMN id SET DEFAULT nextval('public.tls_system_id_seq'::regclass);


--
-- Name: tls_variable id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_variable ALTER COLUMN id SET DEFAULT nextval('public.tls_variable_id_seq'::regclass);


--
-- Name: tls_category tls_category_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_category
    ADD CONSTRAINT tls_category_pkey PRIMARY KEY (id);


--
-- Name: tls_coach tls_coach_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_coach
    ADD CONSTRAINT tls_coach_pkey PRIMARY KEY (id);


--
-- Name: tls_image tls_image_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_image
    ADD CONSTRAINT tls_image_pkey PRIMARY KEY (id);


--
-- Name: tls_prompt tls_prompt_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_prompt
    ADD CONSTRAINT tls_prompt_pkey PRIMARY KEY (id);


--
-- Name: tls_system tls_system_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_system
    ADD CONSTRAINT tls_system_pkey PRIMARY KEY (id);


--
-- Name: tls_variable tls_variable_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_variable
    ADD CONSTRAINT tls_variable_pkey PRIMARY KEY (id);


--
-- Name: tls_category tls_category_icon_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_category
    ADD CONSTRAINT tls_category_icon_id_fkey FOREIGN KEY (icon_id) REFERENCES public.tls_image(id);


--
-- Name: tls_category tls_category_icon_id_secondary_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_category
    ADD CONSTRAINT tls_category_icon_id_secondary_fkey FOREIGN KEY (icon_id_secondary) REFERENCES public.tls_image(id);


--
-- Name: tls_category tls_category_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_category
    ADD CONSTRAINT tls_category_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.tls_category(id);


--
-- Name: tls_coach tls_coach_image30_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_coach
    ADD CONSTRAINT tls_coach_image30_id_fkey FOREIGN KEY (image30_id) REFERENCES public.tls_image(id);


--
-- Name: tls_coach tls_coach_image45_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_coach
    ADD CONSTRAINT tls_coach_image45_id_fkey FOREIGN KEY (image45_id) REFERENCES public.tls_image(id);


--
-- Name: tls_coach tls_coach_image60_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_coach
    ADD CONSTRAINT tls_coach_image60_id_fkey FOREIGN KEY (image60_id) REFERENCES public.tls_image(id);


--
-- Name: tls_coach tls_coach_image_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tls_coach
    ADD CONSTRAINT tls_coach_image_id_fkey FOREIGN KEY (image_id) REFERENCES public.tls_image(id);


--
-- PostgreSQL database dump complete
--

\unrestrict NwSt5CTXMyuoRE2O4m3NfEPlPKFDtAKLvci4zRX0lrqah3ORg2o6cQKD1459ur9

