"""The stand-in model's "pre-trained knowledge" (mlai_course.labs.stand_in): the phrases it recognises in a
posting when it answers closed book, without passages.

Each cue is a phrase pattern, the role it points to, and the article's words for the skill or task it belongs
to *(article: Skills Comparison; Day-to-Day Comparison)*: the stand-in's closed-book reasons are those words.
The patterns are the course's own.
"""

import re

CUES = (
    (
        r"model training|training (?:and evaluating|models?)|train(?:s|ing)? (?:a |the )?models?"
        r"|model evaluation",
        "ML Engineer",
        "Model training and evaluation",
    ),
    (r"feature engineering|features? (?:pipelines?|stores?)", "ML Engineer", "Feature engineering"),
    (r"training pipelines?|kubeflow|airflow", "ML Engineer", "Training pipelines (Kubeflow, Airflow)"),
    (
        r"model serving|serving endpoints?|tensorflow serving|torchserve",
        "ML Engineer",
        "Model serving (TensorFlow Serving, TorchServe)",
    ),
    (
        r"experiment tracking|mlflow|weights (?:&|and) biases",
        "ML Engineer",
        "Experiment tracking (MLflow, Weights & Biases)",
    ),
    (r"statistics|linear algebra|probability", "ML Engineer", "Statistics and linear algebra"),
    (r"deep learning|neural networks?|model architectures?", "ML Engineer", "Deep learning architectures"),
    (r"distributed training|multi-gpu|gpu clusters?", "ML Engineer", "Distributed training"),
    (
        r"quantization|quantisation|pruning|model optimi[sz]ation",
        "ML Engineer",
        "Model optimization (quantization, pruning)",
    ),
    (r"custom models?", "ML Engineer", "Custom model development"),
    (r"research papers?|paper implementation", "ML Engineer", "Research paper implementation"),
    (r"inference latency", "ML Engineer", "Optimize model inference latency"),
    (r"a/b test(?:s|ing)?|model variants?", "ML Engineer", "Set up A/B testing for a model variant"),
    (
        r"model drift|drift|retrain(?:ing)? triggers?|retrain(?:ing)?",
        "ML Engineer",
        "Analyze model drift and retrain triggers",
    ),
    (
        r"llm apis?|openai|anthropic|large language models?|llms?",
        "AI Engineer",
        "LLM APIs (OpenAI, Anthropic)",
    ),
    (
        r"\brag\b|retrieval[- ]augmented|vector databases?|vector stores?|embeddings?",
        "AI Engineer",
        "RAG systems and vector databases",
    ),
    (r"prompt engineering|prompts?", "AI Engineer", "Prompt engineering"),
    (
        r"fastapi|web frameworks?|application development",
        "AI Engineer",
        "Application development (FastAPI, web frameworks)",
    ),
    (
        r"evaluation frameworks?|llm outputs?|\bevals?\b",
        "AI Engineer",
        "Evaluation frameworks for LLM outputs",
    ),
    (r"fine-tuning|fine tuning|fine-tune|\blora\b", "AI Engineer", "Fine-tuning (LoRA, full fine-tuning)"),
    (
        r"agent frameworks?|\bagents?\b|agentic|langchain|llamaindex",
        "AI Engineer",
        "Agent frameworks (LangChain, LlamaIndex)",
    ),
    (r"multi-modal|multimodal", "AI Engineer", "Multi-modal applications"),
    (r"cost optimi[sz]ation|token costs?", "AI Engineer", "Cost optimization"),
    (r"chunking", "AI Engineer", "Improve RAG retrieval accuracy by tuning chunking"),
    (r"guardrails?|chatbots?", "AI Engineer", "Implement guardrails for production chatbot"),
    (r"llm chains?", "AI Engineer", "Debug an LLM chain that's producing inconsistent outputs"),
    (
        r"ai capabilit(?:y|ies)|product features?",
        "AI Engineer",
        "Integrate new AI capability into product feature",
    ),
    (r"evaluation datasets?", "AI Engineer", "Build evaluation dataset for LLM quality"),
)
COMPILED_CUES = tuple(
    (re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I), role, evidence)
    for pattern, role, evidence in CUES
)
