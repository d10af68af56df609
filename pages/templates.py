"""Placeholder: being built."""

import streamlit as st

st.info("Trang đang được xây dựng / This page is being built.")
