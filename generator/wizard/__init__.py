"""The interactive wizard (``draftgen wizard``): the same questions as a batch spec, asked in a terminal.

* :mod:`~generator.wizard.session` runs one session: pre-fill, ask, review, write, Ctrl-C;
* :mod:`~generator.wizard.flow` decides the order of the questions (steps, the back key, facts per problem);
* :mod:`~generator.wizard.ask` asks one question of the shared model and parses the answer with it;
* :mod:`~generator.wizard.suggest` offers and pre-selects bank entries for each review area;
* :mod:`~generator.wizard.review` is the screen from which any answer can be changed;
* :mod:`~generator.wizard.answers` holds the answers and turns them into a spec (the answers file);
* :mod:`~generator.wizard.prompts` is what the flow asks of a terminal (the prompt protocol, options, the back key);
* :mod:`~generator.wizard.terminal` and :mod:`~generator.wizard.lists` are the real prompts on questionary.

Nothing here is imported by ``draftgen --help``; questionary and the bank are loaded only when needed.
"""
