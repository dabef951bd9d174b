"""App tests: the Streamlit reviewer app through AppTest and one real browser run."""
